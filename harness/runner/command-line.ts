/**
 * The one way a run is written back as a command: the `zk-chaos run` line that repeats a spec (every option
 * it has, a recipe by its path, each word quoted for a POSIX shell), and the `zk-chaos repro` line of a run
 * folder. The report, the CLI's output, JUnit and the campaign table all print these.
 */
import { isAbsolute, relative } from "node:path";
import { DEFAULT_SPEC, RUN_FLAGS, type TestSpec } from "./test-spec.ts";

/** A spec as stored (test.json) or as given (a campaign cell): any field may be missing. */
export type SpecLike = Readonly<Partial<Record<keyof TestSpec, unknown>>> & {
  readonly workloadModule?: unknown;
};

/** One word for a POSIX shell: as is when it is safe, else single-quoted. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A path as the user should type it: relative to `cwd` when it is below it, else as given. */
export function shownPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** A module path as `--workload` takes it (a relative path needs its ./). */
const modulePath = (path: string, cwd: string): string => {
  const shown = shownPath(path, cwd);
  return isAbsolute(shown) || shown.startsWith(".") ? shown : `./${shown}`;
};

/** The `zk-chaos run` line that repeats `spec` (a user's recipe by the path of its module). */
export function runCommandLine(spec: SpecLike, cwd = process.cwd()): string {
  const words = ["npx", "zk-chaos", "run"];
  for (const [key, flag] of RUN_FLAGS) {
    let v: unknown = spec[key];
    if (key === "workload" && typeof spec.workloadModule === "string")
      v = modulePath(spec.workloadModule, cwd);
    if (key === "nemesis" && Array.isArray(v)) v = v.join(",");
    if (key === "results" && v === DEFAULT_SPEC.results) continue;
    if (key === "observers" && v === DEFAULT_SPEC.observers) continue;
    if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v)))
      words.push(flag, shellWord(String(v)));
  }
  return words.join(" ");
}

/** The `zk-chaos repro` line of a run folder. */
export function reproCommandLine(runDir: string, cwd = process.cwd()): string {
  return `npx zk-chaos repro ${shellWord(shownPath(runDir, cwd))}`;
}

/** How to reproduce a run: `repro DIR` where its folder exists, then the `run` line of its spec. */
export function reproLines(runDir: string | undefined, spec: SpecLike, cwd = process.cwd()): string[] {
  return [...(runDir ? [reproCommandLine(runDir, cwd)] : []), runCommandLine(spec, cwd)];
}
