/**
 * `zk-chaos check FILE…`: re-check stored histories (Jepsen's `analyze`). Files or folders (a run folder →
 * its history; any other folder → every history file in it, recursively); format by flag or by content.
 * A run folder (test.json beside the history) of a built-in workload or of a user's recipe (its module, named
 * in test.json) is judged by that workload's own checkers over its resource.jsonl, as `run` judged it
 * (run-checkers.ts); anything else by model: --model, else by format, else from the ops' f values. One
 * verdict line per file (or one results.json-shaped JSON object per line with --json); the exit code is the
 * worst — 254 bad input, then 1 invalid, then 2 unknown, then 0 valid (as validities merge: false > unknown
 * > true). Everything runs in this one process.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { BadInputError, EXIT } from "../../../kernel/errors.ts";
import type { CheckCliOptions } from "../program.ts";
import { checkHistory } from "../../../checkers/check-history.ts";
import type { Results } from "../../../checkers/check-history.ts";
import type { Checker, CheckResult } from "../../../checkers/checker.ts";
import { cutReason } from "../../../checkers/history-completeness.ts";
import { FORMATS, isFormat, parseHistory } from "../../../checkers/formats/index.ts";
import type { Format } from "../../../checkers/formats/index.ts";
import { parseResourceLog } from "../../../checkers/formats/resource-log.ts";
import { MODEL_NAMES, modelByName } from "../../../checkers/linearizable/models/index.ts";
import type { ResourceEvent } from "../../../kernel/resource.ts";
import { readText } from "../../../report/run-files.ts";
import { runCheckers, runWorkloadOf, WorkloadModuleError, type RunWorkload } from "../run-checkers.ts";

/** Where output goes (stdout / stderr by default; tests pass collectors). */
export interface CheckIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const defaultIo: CheckIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

const HISTORY_EXT = /\.(jsonl|edn|log|txt)$/;
/** Files in a results folder that are not histories. */
const NOT_HISTORY = new Set(["resource.jsonl", "harness.log", "results.json", "test.json"]);
const RUN_HISTORIES = ["history.jsonl", "history.edn"];

// Files are read synchronously: one at a time in any case, and an await per stat and read left the process
// idle for about 90 ms of the 400 that checking Porcupine's 102-file etcd corpus took.
function isDir(p: string): boolean {
  return statSync(p).isDirectory();
}

/** The history files under a folder: a run folder's history, else every history file, recursively. */
function historiesIn(dir: string, depth = 0): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const names = new Set(entries.map((e) => e.name));
  const run = RUN_HISTORIES.find((h) => names.has(h));
  if (run) return [path.join(dir, run)];
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory() && depth < 6) out.push(...historiesIn(p, depth + 1));
    else if (e.isFile() && HISTORY_EXT.test(e.name) && !NOT_HISTORY.has(e.name)) out.push(p);
  }
  return out;
}

/** The workload test.json beside the history names, if there is a test.json. */
function workloadBeside(file: string): RunWorkload | undefined {
  const p = path.join(path.dirname(file), "test.json");
  const text = readText(p);
  if (text === undefined) return undefined;
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch {
    throw new BadInputError(`${p}: not JSON`);
  }
  return spec !== null && typeof spec === "object" && !Array.isArray(spec)
    ? runWorkloadOf(spec as Record<string, unknown>)
    : undefined;
}

/**
 * The run's own checkers (run-checkers.ts). A recipe whose module cannot be loaded is bad input, unless
 * --model says how to judge the run instead (then a warning, and the run is judged by model).
 */
async function checkersOf(
  spec: RunWorkload,
  resource: readonly ResourceEvent[],
  dir: string,
  opts: CheckCliOptions,
  warnings: string[],
): Promise<Checker[] | undefined> {
  try {
    return await runCheckers(spec, resource, dir);
  } catch (err) {
    if (!(err instanceof WorkloadModuleError) || opts.model === undefined) throw err;
    warnings.push(
      `${dir}: workload ${spec.name}'s module cannot be loaded as the run used it; judged by --model ${opts.model}`,
    );
    return undefined;
  }
}

/** One line of what a checker found. */
function describe(name: string, r: CheckResult): string {
  const tag = r.valid === true ? "ok" : r.valid === false ? "INVALID" : "unknown";
  const model = typeof r.model === "string" ? `/${r.model}` : "";
  let detail = "";
  const ev = r.evidence as { message?: string } | undefined;
  if (ev?.message) detail = ev.message;
  else if (typeof r.reason === "string") detail = r.reason;
  else if (typeof r.error === "string") detail = r.error;
  else if (r.valid === false) {
    const counts = Object.entries(r)
      .filter(([k, v]) => k.endsWith("Count") && typeof v === "number" && v > 0)
      .map(([k, v]) => `${k.slice(0, -5)} ${String(v)}`);
    detail = counts.join(", ");
    // what the cut explains was not judged: say so beside what was
    if (typeof r.cut === "string")
      detail += `; ${cutReason({ reason: r.cut }, "what it never read back is not judged")}`;
  } else if (typeof r.ops === "number") detail = `${r.ops} ops`;
  return `${name}${model} ${tag}${detail ? ` (${detail})` : ""}`;
}

function verdictLine(file: string, res: Results, ms: number): string {
  const v = res.valid === true ? "valid" : res.valid === false ? "INVALID" : "unknown";
  const parts = Object.entries(res.checkers).map(([n, r]) => describe(n, r));
  return `${file}: ${v} (${ms.toFixed(ms < 10 ? 1 : 0)} ms) ${parts.join("; ")}`;
}

const exitFor = (v: Results["valid"]): number =>
  v === true ? EXIT.valid : v === false ? EXIT.invalid : EXIT.unknown;

/** Worst of two exit codes: bad input > invalid > unknown > valid (an invalid verdict outranks an undecided one). */
const SEVERITY: Record<number, number> = {
  [EXIT.valid]: 0,
  [EXIT.unknown]: 1,
  [EXIT.invalid]: 2,
  [EXIT.badInput]: 3,
};
export const worstExit = (a: number, b: number): number => ((SEVERITY[b] ?? 4) > (SEVERITY[a] ?? 4) ? b : a);

/** Check one file; returns its exit code. */
async function checkFile(
  file: string,
  opts: CheckCliOptions,
  format: Format | undefined,
  init: { value: unknown } | undefined,
  io: CheckIo,
): Promise<number> {
  const t0 = performance.now();
  try {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new BadInputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const parsed = parseHistory(text, file, format);
    const warnings = [...parsed.warnings];
    let workload: string | undefined;
    let resource: ResourceEvent[] | undefined;
    let checkers: Checker[] | undefined;
    if (parsed.format === "jsonl") {
      const spec = workloadBeside(file);
      workload = spec?.name;
      const rpath = path.join(path.dirname(file), "resource.jsonl");
      const rtext = readText(rpath);
      if (rtext !== undefined) resource = parseResourceLog(rtext, rpath, warnings);
      if (spec !== undefined) {
        checkers = await checkersOf(spec, resource ?? [], path.dirname(file), opts, warnings);
        if (checkers && resource === undefined) {
          warnings.push(
            `${file}: no resource.jsonl beside it; the ${spec.name} checkers see an empty resource log`,
          );
        }
      }
    }
    for (const w of warnings) io.err(`warning: ${w}`);
    const res = await checkHistory(parsed.history, {
      format: parsed.format,
      clock: parsed.clock,
      ...(opts.model !== undefined ? { model: opts.model } : {}),
      ...(init !== undefined ? { init: init.value } : {}),
      ...(workload !== undefined ? { workload } : {}),
      ...(resource !== undefined ? { resource } : {}),
      ...(checkers !== undefined ? { checkers } : {}),
      ...(opts.timeout !== undefined && opts.timeout > 0 ? { timeoutMs: opts.timeout * 1000 } : {}),
      ...(opts.maxMemory !== undefined ? { maxMemoryBytes: opts.maxMemory * 2 ** 20 } : {}),
    }).catch((e: unknown) => {
      // the model is chosen per file: say which file the initial state did not fit
      throw e instanceof BadInputError ? new BadInputError(`${file}: ${e.message}`) : e;
    });
    const ms = performance.now() - t0;
    if (opts.json) {
      io.out(
        JSON.stringify({
          file,
          valid: res.valid,
          checkers: res.checkers,
          stats: res.stats,
          format: parsed.format,
          ms: Math.round(ms * 1000) / 1000,
          ...(warnings.length ? { warnings } : {}),
        }),
      );
    } else {
      io.out(verdictLine(file, res, ms));
    }
    return exitFor(res.valid);
  } catch (e) {
    if (!(e instanceof BadInputError)) throw e;
    if (opts.json) io.out(JSON.stringify({ file, valid: "unknown", error: e.message, checkers: {} }));
    io.err(`zk-chaos: ${e.message}`);
    return EXIT.badInput;
  }
}

/** --init's JSON, checked against --model when there is one (else against each file's model as it is chosen). */
function initialState(text: string, model: string | undefined): { value: unknown } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BadInputError(`--init must be JSON, got '${text}' (${(e as Error).message})`);
  }
  if (model !== undefined) modelByName(model, value);
  return { value };
}

/** The `check` command; returns the exit code (the worst over all files). */
export async function checkCommand(
  files: string[],
  opts: CheckCliOptions,
  io: CheckIo = defaultIo,
): Promise<number> {
  if (opts.format !== undefined && !isFormat(opts.format)) {
    throw new BadInputError(`--format must be one of ${FORMATS.join(", ")}, got '${opts.format}'`);
  }
  if (opts.model !== undefined && !modelByName(opts.model)) {
    throw new BadInputError(`--model must be one of ${MODEL_NAMES.join(", ")}, got '${opts.model}'`);
  }
  const init = opts.init === undefined ? undefined : initialState(opts.init, opts.model);
  if (files.length === 0) throw new BadInputError("check: name at least one history file or folder");
  const format = opts.format as Format | undefined;
  let code: number = EXIT.valid;
  for (const arg of files) {
    let targets: string[];
    try {
      targets = isDir(arg) ? historiesIn(arg) : [arg];
    } catch (e) {
      io.err(`zk-chaos: ${arg}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      if (opts.json)
        io.out(JSON.stringify({ file: arg, valid: "unknown", error: "cannot read", checkers: {} }));
      code = worstExit(code, EXIT.badInput);
      continue;
    }
    if (targets.length === 0) {
      io.err(`zk-chaos: ${arg}: no history files in this folder`);
      code = worstExit(code, EXIT.badInput);
    }
    for (const file of targets) code = worstExit(code, await checkFile(file, opts, format, init, io));
  }
  return code;
}
