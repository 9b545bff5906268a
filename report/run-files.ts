/**
 * Reading a run folder's stored files for the report, leniently: a missing results.json (the run died), a
 * torn last history line (the harness was killed mid-write) or a corrupt file becomes a note in the report,
 * not a failure. Only a folder that is not a run folder at all (no test.json) is bad input.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Op } from "../kernel/op.ts";
import { BadInputError } from "../kernel/errors.ts";
import type { CheckResult } from "../checkers/checker.ts";
import type { ResourceEvent } from "../kernel/resource.ts";
import type { RunHealth } from "../kernel/run-health.ts";
import { parseRunHealth } from "./run-health.ts";

export type Verdict = true | false | "unknown";

export interface StoredResults {
  readonly valid: Verdict;
  readonly checkers: Record<string, CheckResult>;
  readonly stats: Record<string, unknown>;
  /** How busy the harness host was (absent in runs from before it was recorded). */
  readonly health?: RunHealth;
  /** Seconds from the first client op to the first violation (invalid runs recorded since it exists). */
  readonly firstViolationS?: number;
  /** The version the servers reported (`srvr`), recorded since runs have a ZooKeeper line. */
  readonly zookeeperVersion?: string;
}

export interface RunFiles {
  readonly dir: string;
  /** test.json as stored (the spec plus images and startedAt); {} when unreadable. */
  readonly test: Record<string, unknown>;
  /** results.json, or null when absent or unreadable (see notes). */
  readonly results: StoredResults | null;
  readonly history: Op[];
  /** resource.jsonl events (empty when absent). */
  readonly resource: ResourceEvent[];
  /** Files under nodes/ (server and proxy logs). */
  readonly nodeLogs: string[];
  /** Which of the run's top-level files exist. */
  readonly present: ReadonlySet<string>;
  /** What could not be read, one line each. */
  readonly notes: string[];
}

/** True when `dir` is a run folder (it holds test.json). */
export function isRunDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && existsSync(join(dir, "test.json"));
  } catch {
    return false;
  }
}

/** Fail with one line unless `dir` is a run folder. */
export function requireRunDir(dir: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new BadInputError(`${dir}: no such folder`);
  }
  if (!st.isDirectory()) throw new BadInputError(`${dir}: not a folder`);
  if (!existsSync(join(dir, "test.json"))) throw new BadInputError(`${dir}: not a run folder (no test.json)`);
}

/** The file's text, or undefined where it cannot be read (absent, a folder, no permission). */
export function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** JSON Lines, leniently: bad lines are skipped and counted (a torn last line silently). */
export function parseLines<T>(
  text: string,
  name: string,
  notes: string[],
  accept: (v: unknown) => v is T,
): T[] {
  const out: T[] = [];
  const lines = text.split("\n");
  const torn = !text.endsWith("\n") && lines.length > 0;
  let bad = 0;
  let firstBad = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      if (torn && i === lines.length - 1) continue; // killed mid-write: expected, ignored
      if (bad++ === 0) firstBad = i + 1;
      continue;
    }
    if (accept(v)) out.push(v);
    else if (bad++ === 0) firstBad = i + 1;
  }
  if (bad > 0)
    notes.push(`${name}: ${bad} unreadable line${bad === 1 ? "" : "s"} skipped (first: line ${firstBad})`);
  return out;
}

const TYPES = new Set(["invoke", "ok", "fail", "info"]);

function isOp(v: unknown): v is Op {
  if (v === null || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.type === "string" &&
    TYPES.has(o.type) &&
    typeof o.time === "number" &&
    Number.isFinite(o.time) &&
    typeof o.f === "string" &&
    (typeof o.process === "number" || typeof o.process === "string")
  );
}

function isResourceEvent(v: unknown): v is ResourceEvent {
  if (v === null || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  return typeof o.time === "number" && typeof o.accepted === "boolean";
}

function asVerdict(v: unknown): Verdict {
  return v === true || v === false ? v : "unknown";
}

/** Read results.json into its shape, or null (with a note) when it is absent or not usable. */
export function readResults(dir: string, notes: string[]): StoredResults | null {
  const text = readText(join(dir, "results.json"));
  if (text === undefined) {
    notes.push("results.json: absent — the run did not finish checking");
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    notes.push("results.json: not valid JSON");
    return null;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    notes.push("results.json: not an object");
    return null;
  }
  const o = parsed as Record<string, unknown>;
  const checkers: Record<string, CheckResult> = {};
  if (o.checkers !== null && typeof o.checkers === "object" && !Array.isArray(o.checkers)) {
    for (const [name, r] of Object.entries(o.checkers as Record<string, unknown>)) {
      const rec =
        r !== null && typeof r === "object" && !Array.isArray(r) ? (r as Record<string, unknown>) : {};
      checkers[name] = { ...rec, valid: asVerdict(rec.valid) };
    }
  }
  const stats =
    o.stats !== null && typeof o.stats === "object" && !Array.isArray(o.stats)
      ? (o.stats as Record<string, unknown>)
      : {};
  const health = parseRunHealth(o.health);
  if (o.health !== undefined && !health) notes.push("results.json: health figures not readable");
  const first = typeof o.firstViolationS === "number" && o.firstViolationS >= 0 ? o.firstViolationS : null;
  return {
    valid: asVerdict(o.valid),
    checkers,
    stats,
    ...(first !== null ? { firstViolationS: first } : {}),
    ...(health ? { health } : {}),
    ...(typeof o.zookeeperVersion === "string" && o.zookeeperVersion.length <= 100
      ? { zookeeperVersion: o.zookeeperVersion }
      : {}),
  };
}

/** Read test.json (an object), or {} with a note. */
export function readTest(dir: string, notes: string[]): Record<string, unknown> {
  const text = readText(join(dir, "test.json"));
  if (text === undefined) {
    notes.push("test.json: unreadable");
    return {};
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  notes.push("test.json: not a JSON object");
  return {};
}

const TOP_FILES = [
  "test.json",
  "history.jsonl",
  "results.json",
  "harness.log",
  "resource.jsonl",
  "report.html",
];

/** Everything the report needs from a run folder. Throws BadInputError when it is not a run folder. */
export function readRunFiles(dir: string): RunFiles {
  requireRunDir(dir);
  const notes: string[] = [];
  const test = readTest(dir, notes);
  const results = readResults(dir, notes);
  const historyText = readText(join(dir, "history.jsonl"));
  if (historyText === undefined) notes.push("history.jsonl: absent");
  const history = (
    historyText === undefined ? [] : parseLines(historyText, "history.jsonl", notes, isOp)
  ).map((o, i) =>
    typeof o.index === "number" && o.value !== undefined
      ? o
      : { ...o, index: typeof o.index === "number" ? o.index : i, value: o.value ?? null },
  );
  const resourceText = readText(join(dir, "resource.jsonl"));
  const resource =
    resourceText === undefined ? [] : parseLines(resourceText, "resource.jsonl", notes, isResourceEvent);
  let nodeLogs: string[] = [];
  try {
    nodeLogs = readdirSync(join(dir, "nodes"), { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  } catch {
    // no nodes/ folder: the run died before collecting server logs
  }
  const present = new Set(TOP_FILES.filter((f) => existsSync(join(dir, f))));
  return { dir, test, results, history, resource, nodeLogs, present, notes };
}
