/**
 * The `--nemesis` / `--nemeses` text: entries separated by `,` take turns; parts joined by `+` are composed;
 * each part may carry options after a colon, `name:key=value,key=value` (a `key=value` after a comma
 * belongs to the part before it). Lists inside a value are `/`-separated, durations take `ms` or `s`.
 *   partition:shape=halves/bridge,mode=refuse+client-pause:duration=8s,latency:latency=250ms
 * Every option is turned into that nemesis's typed options here and checked by its factory, so a mistake
 * is one BadInputError line before anything starts.
 */
import { BadInputError } from "../../kernel/errors.ts";
import { PARTITION_SHAPES } from "./partition-shapes.ts";
import { PAUSE_DURATIONS } from "./pause.ts";
import { SERVER_TARGETS } from "./targets.ts";
import { isNemesisName, nemesisByName, NEMESIS_NAMES, type NemesisName } from "./registry.ts";

/** One fault of an entry, with its options as the nemesis takes them. */
export interface NemesisPart {
  readonly name: NemesisName;
  readonly options: Readonly<Record<string, unknown>>;
  /** Normalised text: `name` or `name:key=value,…` in the order written. */
  readonly text: string;
}

const SCOPES = ["one-node", "all-nodes"];

type Convert = (value: string, where: string) => [field: string, value: unknown];

const list =
  (field: string, allowed?: readonly string[]): Convert =>
  (v, where) => {
    const items = v.split("/").map((x) => x.trim());
    if (items.some((x) => x === "")) throw new BadInputError(`${where}: empty item in '${v}'`);
    if (allowed) for (const x of items) oneOf(x, allowed, where);
    return [field, items];
  };
const choice =
  (field: string, allowed: readonly string[]): Convert =>
  (v, where) => [field, oneOf(v, allowed, where)];
const millis =
  (field: string): Convert =>
  (v, where) => [field, parseDurationMs(v, where)];
const number =
  (field: string): Convert =>
  (v, where) => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n) || n <= 0)
      throw new BadInputError(`${where} must be a number > 0, got '${v}'`);
    return [field, n];
  };

function oneOf(v: string, allowed: readonly string[], where: string): string {
  if (!allowed.includes(v))
    throw new BadInputError(`${where} must be one of ${allowed.join(", ")}, got '${v}'`);
  return v;
}

/** `250ms`, `8s`, `1.5s`, or a bare number of ms. */
export function parseDurationMs(v: string, where: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(v.trim());
  if (!m) throw new BadInputError(`${where} must be a duration like 500ms or 8s, got '${v}'`);
  const ms = Number(m[1]) * (m[2] === "s" ? 1000 : 1);
  if (ms <= 0) throw new BadInputError(`${where} must be longer than 0, got '${v}'`);
  return Math.round(ms);
}

/** The option keys each nemesis takes on the command line (a nemesis not listed takes none). */
const CLI_OPTIONS: Partial<Record<NemesisName, Readonly<Record<string, Convert>>>> = {
  partition: {
    shape: list("shapes", PARTITION_SHAPES),
    mode: choice("mode", ["blackhole", "refuse"]),
  },
  latency: {
    latency: millis("latencyMs"),
    jitter: millis("jitterMs"),
    links: choice("links", ["peer", "client", "all"]),
    scope: list("scopes", SCOPES),
  },
  pause: { target: list("targets", SERVER_TARGETS), duration: list("durations", PAUSE_DURATIONS) },
  kill: { target: list("targets", SERVER_TARGETS) },
  "client-pause": {
    duration: millis("durationMs"),
    timeouts: number("sessionTimeouts"),
    mode: choice("mode", ["signal", "network"]),
  },
  "lost-replies": { scope: list("scopes", SCOPES) },
  "lagging-follower": { lag: millis("lagMs"), jitter: millis("jitterMs") },
};

/** The keys `name` takes after its colon, for help and error text. */
export const cliOptionKeys = (name: NemesisName): string[] => Object.keys(CLI_OPTIONS[name] ?? {});

/** Split on `,` and `+`, keeping which separator came before each token. */
function tokens(text: string): { sep: "," | "+" | null; token: string }[] {
  const out: { sep: "," | "+" | null; token: string }[] = [];
  let sep: "," | "+" | null = null;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (i === text.length || c === "," || c === "+") {
      out.push({ sep, token: text.slice(start, i).trim() });
      sep = c === "," || c === "+" ? c : null;
      start = i + 1;
    }
  }
  return out;
}

interface Draft {
  name: string;
  pairs: [string, string][];
}

/** Parse the whole flag: entries (taking turns), each a list of composed parts. */
export function parseNemesisText(text: string, flag = "--nemesis"): NemesisPart[][] {
  if (typeof text !== "string" || text.trim() === "")
    throw new BadInputError(`${flag} needs a comma list of faults`);
  const groups: Draft[][] = [];
  for (const { sep, token } of tokens(text)) {
    const current = groups.at(-1)?.at(-1);
    const eq = token.indexOf("=");
    const colon = token.indexOf(":");
    if (sep === "," && eq >= 0 && (colon < 0 || colon > eq) && current && current.pairs.length > 0) {
      current.pairs.push([token.slice(0, eq).trim(), token.slice(eq + 1).trim()]);
      continue;
    }
    if (token === "") throw new BadInputError(`${flag} has an empty entry: '${text}'`);
    if (eq >= 0 && (colon < 0 || colon > eq))
      throw new BadInputError(
        `${flag}: '${token}' is an option; write it after its fault and a colon (partition:shape=halves)`,
      );
    const draft: Draft = { name: (colon < 0 ? token : token.slice(0, colon)).trim(), pairs: [] };
    if (colon >= 0) {
      const first = token.slice(colon + 1);
      const e = first.indexOf("=");
      if (e <= 0)
        throw new BadInputError(`${flag}: options after '${draft.name}:' are key=value, got '${first}'`);
      draft.pairs.push([first.slice(0, e).trim(), first.slice(e + 1).trim()]);
    }
    if (sep === "+" && groups.length > 0) groups.at(-1)!.push(draft);
    else groups.push([draft]);
  }
  return groups.map((g) => checkGroup(g, flag));
}

/** One entry of a stored spec (`a:k=v+b`): its parts. */
export function parseNemesisEntry(entry: string, flag = "--nemesis"): NemesisPart[] {
  const groups = parseNemesisText(entry, flag);
  if (groups.length !== 1) throw new BadInputError(`${flag}: '${entry}' is more than one entry`);
  return groups[0]!;
}

/** The entry's normalised text (parts joined by `+`). */
export const entryText = (parts: readonly NemesisPart[]): string => parts.map((p) => p.text).join("+");

function checkGroup(drafts: readonly Draft[], flag: string): NemesisPart[] {
  const parts = drafts.map((d) => toPart(d, flag));
  const names = parts.map((p) => p.name);
  const text = entryText(parts);
  if (names.length > 1 && names.includes("none"))
    throw new BadInputError(`'none' cannot be composed with other faults: '${text}'`);
  if (new Set(names).size !== names.length) throw new BadInputError(`a fault appears twice in '${text}'`);
  return parts;
}

function toPart(d: Draft, flag: string): NemesisPart {
  if (!isNemesisName(d.name))
    throw new BadInputError(`unknown nemesis '${d.name}' in ${flag} (known: ${NEMESIS_NAMES.join(", ")})`);
  const name = d.name;
  const table = CLI_OPTIONS[name] ?? {};
  const options: Record<string, unknown> = {};
  for (const [key, value] of d.pairs) {
    const convert = table[key];
    if (!convert) {
      const known = Object.keys(table);
      throw new BadInputError(
        `${name} has no option '${key}' (${known.length ? `options: ${known.join(", ")}` : "it takes none"})`,
      );
    }
    if (value === "") throw new BadInputError(`${name}:${key} needs a value`);
    const [field, v] = convert(value, `${name}:${key}`);
    options[field] = v;
  }
  nemesisByName(name, options as never); // the factory's own checks (choices, ranges): one line
  const text = d.pairs.length ? `${name}:${d.pairs.map(([k, v]) => `${k}=${v}`).join(",")}` : name;
  return { name, options, text };
}
