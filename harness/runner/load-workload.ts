/**
 * Which workload a run means: a built-in by name, a user's module by path (`./my-recipe.ts`, `/abs/x.js`,
 * relative to the working directory) or by package name (resolved from the working directory), or a
 * workload object (defineWorkload's result, or a Workload). A module must `export default` a defined
 * workload. Every way of not fitting is one BadInputError line naming the module (exit 254).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { findDefined, isDefinedWorkload } from "../../workloads/define-workload.ts";
import { workloadByName, workloadNames } from "../../workloads/index.ts";
import type { Workload } from "../../workloads/workload.ts";
import { BadInputError } from "../../kernel/errors.ts";

const MODULE_EXT = /\.(?:[cm]?[jt]s)$/;

/** A path (not a built-in name or a package): starts with `.` or `/`, or names a script file. */
export const looksLikePath = (ref: string): boolean =>
  ref.startsWith(".") || isAbsolute(ref) || MODULE_EXT.test(ref);

export interface ResolveOptions {
  /** Anchors paths and package lookups (default: the working directory). */
  readonly cwd?: string;
  /** The workload's name, when the module may export it under a name (repro of a test's workload). */
  readonly name?: unknown;
}

/** The workload `ref` means. */
export async function resolveWorkload(ref: unknown, opts: ResolveOptions = {}): Promise<Workload> {
  if (typeof ref === "string") {
    if (ref === "") throw new BadInputError("--workload needs a name, a path or a package");
    if (!looksLikePath(ref) && workloadNames().includes(ref)) return workloadByName(ref);
    return loadWorkloadModule(ref, opts);
  }
  if (typeof ref === "object" && ref !== null) return checkWorkloadObject(ref, "the workload object");
  throw new BadInputError(
    `workload must be a name, a path, a package or a workload object, got ${typeof ref}`,
  );
}

/** Import a user's workload module by path or package name and take its default export. */
export async function loadWorkloadModule(ref: string, opts: ResolveOptions = {}): Promise<Workload> {
  const cwd = opts.cwd ?? process.cwd();
  const file = looksLikePath(ref) ? resolve(cwd, ref) : resolvePackage(ref, cwd);
  if (!existsSync(file) || !statSync(file).isFile())
    throw new BadInputError(`workload module ${ref} not found (looked for ${file})`);
  const url = pathToFileURL(file).href;
  const mod = await importUserModule(url, ref);
  const def = mod.default ?? (typeof opts.name === "string" ? findDefined(mod, opts.name) : undefined);
  if (def === undefined)
    throw new BadInputError(`${ref}: no default export (export default defineWorkload({ ... }))`);
  const w = checkWorkloadObject(def, ref);
  // Workers import the module we just loaded, where the workload is the default export.
  return isDefinedWorkload(w) ? { ...w, clientModule: `${url}#${encodeURIComponent(w.name)}` } : w;
}

/** Defined (true) only in the compiled CLI (scripts/build-cli.mjs). */
declare const __ZK_CHAOS_COMPILED__: boolean | undefined;
let typeScriptLoader: Promise<void> | undefined;

/**
 * Import a user's module, which may be TypeScript: the compiled CLI registers tsx first (once), as the
 * sources' CLI, tsx and vitest already load TypeScript.
 */
export async function importModule(url: string): Promise<unknown> {
  if (typeof __ZK_CHAOS_COMPILED__ !== "undefined")
    await (typeScriptLoader ??= import("tsx/esm/api").then(({ register }) => void register()));
  return import(url);
}

async function importUserModule(url: string, ref: string): Promise<Record<string, unknown>> {
  try {
    return (await importModule(url)) as Record<string, unknown>;
  } catch (err) {
    throw asBadInput(err, ref);
  }
}

/** An error from loading a user's module, as one line naming it. */
function asBadInput(err: unknown, ref: string): BadInputError {
  const e = err instanceof Error ? err : new Error(String(err));
  const line = (e.message.split("\n")[0] ?? "").trim();
  // defineWorkload's own errors may come from another copy of this package: match by name.
  if (e.name === "BadInputError") return new BadInputError(`${ref}: ${line}`);
  return new BadInputError(`${ref} failed to load: ${line || e.name}`);
}

const WORKLOAD_FIELDS = ["name", "variants", "clientModule", "nextOp", "checkers"] as const;

/** A defined workload, or an object with Workload's required fields; else one line saying what is missing. */
export function checkWorkloadObject(x: unknown, where: string): Workload {
  if (isDefinedWorkload(x)) return x;
  if (typeof x !== "object" || x === null)
    throw new BadInputError(
      `${where}: the default export is ${typeof x}, not a workload (use defineWorkload)`,
    );
  const o = x as Record<string, unknown>;
  const missing = WORKLOAD_FIELDS.filter((k) => o[k] === undefined);
  if (missing.length > 0) {
    const hint = typeof o.client === "function" ? " (wrap it in defineWorkload)" : " (use defineWorkload)";
    throw new BadInputError(`${where}: not a workload, missing ${missing.join(", ")}${hint}`);
  }
  if (!Array.isArray(o.variants) || o.variants.length === 0)
    throw new BadInputError(`${where}: 'variants' must be a non-empty list`);
  if (typeof o.nextOp !== "function" || typeof o.checkers !== "function")
    throw new BadInputError(`${where}: 'nextOp' and 'checkers' must be functions`);
  return (o.reads === undefined ? { ...o, reads: new Set<string>() } : o) as unknown as Workload;
}

/** The file of a user's defined workload (saved in test.json so repro can load it); none for built-ins. */
export function workloadModuleOf(w: Workload): string | undefined {
  if (!isDefinedWorkload(w)) return undefined;
  const base = w.clientModule.split("#")[0]!;
  return base.startsWith("file:") ? fileURLToPath(base) : base;
}

/**
 * Before any container starts: the module workers will import exists and exports this workload there
 * (a workload defined inside a test file cannot be imported by a worker process).
 */
export async function checkClientModule(w: Workload): Promise<void> {
  if (!isDefinedWorkload(w)) return;
  const [base, fragment = ""] = w.clientModule.split("#", 2);
  const file = base!.startsWith("file:") ? fileURLToPath(base!) : base!;
  const where = `workload ${w.name}`;
  if (/\.(?:test|spec)\.[cm]?[jt]sx?$/.test(file))
    throw new BadInputError(
      `${where} is defined in a test file (${file}); define it in its own module and import it`,
    );
  if (!existsSync(file)) throw new BadInputError(`${where}: its module ${file} does not exist`);
  const mod = await importUserModule(pathToFileURL(file).href, file);
  if (!findDefined(mod, decodeURIComponent(fragment)))
    throw new BadInputError(
      `${where}: ${file} does not export it; export it (export default defineWorkload({ ... }))`,
    );
}

/** A package's ESM entry (or a subpath of it), found from `cwd` as Node would. */
function resolvePackage(spec: string, cwd: string): string {
  const m = /^((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(spec);
  if (!m) throw unknownWorkload(spec);
  const [, pkg, sub] = m;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const root = join(dir, "node_modules", pkg!);
    if (existsSync(join(root, "package.json"))) return packageEntry(root, sub ? `.${sub}` : ".", spec);
    if (dirname(dir) === dir) break;
  }
  throw unknownWorkload(spec);
}

function unknownWorkload(spec: string): BadInputError {
  return new BadInputError(
    `unknown workload '${spec}' (built-in: ${workloadNames().join(", ")}; or a path like ./my-recipe.ts, or an installed package)`,
  );
}

/** The file a package exports at `subpath` (exports' import/node/default conditions, else main). */
function packageEntry(root: string, subpath: string, spec: string): string {
  let pj: { exports?: unknown; main?: unknown };
  try {
    pj = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as typeof pj;
  } catch {
    throw new BadInputError(`package ${spec}: unreadable package.json`);
  }
  const pick = (target: unknown): string | undefined => {
    if (typeof target === "string") return target;
    if (Array.isArray(target)) return target.map(pick).find((t) => t !== undefined);
    if (typeof target === "object" && target !== null) {
      const t = target as Record<string, unknown>;
      for (const c of ["import", "node", "default"]) if (c in t) return pick(t[c]);
    }
    return undefined;
  };
  if (pj.exports !== undefined) {
    const ex = pj.exports;
    const map =
      typeof ex === "object" &&
      ex !== null &&
      !Array.isArray(ex) &&
      Object.keys(ex).some((k) => k.startsWith("."))
        ? (ex as Record<string, unknown>)
        : { ".": ex };
    const target = pick(map[subpath]);
    if (target === undefined) throw new BadInputError(`package ${spec}: exports nothing at ${subpath}`);
    return join(root, target);
  }
  if (subpath !== ".") return join(root, subpath);
  return join(root, typeof pj.main === "string" ? pj.main : "index.js");
}
