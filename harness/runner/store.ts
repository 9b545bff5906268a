import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { TestSpec } from "./test-spec.ts";

/** A run's results folder: results/<workload>-<variant>/<UTC timestamp>/ (DESIGN.md, results folder). */
export class RunStore {
  readonly dir: string;

  constructor(
    readonly root: string,
    readonly spec: TestSpec,
    readonly startedAt = new Date(),
  ) {
    const stamp = startedAt
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z");
    this.dir = uniqueDir(resolve(root, `${spec.workload}-${spec.variant}`, stamp));
    mkdirSync(join(this.dir, "nodes"), { recursive: true });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  writeJson(name: string, value: unknown): void {
    writeFileSync(this.path(name), JSON.stringify(value, null, 2) + "\n");
  }

  /** Point results/latest at this run (relative, so the folder can be moved or downloaded). */
  markLatest(): void {
    const link = resolve(this.root, "latest");
    rmSync(link, { force: true });
    try {
      symlinkSync(relative(resolve(this.root), this.dir), link);
    } catch {
      // a filesystem without symlinks: latest is a convenience only
    }
  }
}

/** `dir`, or `dir-2`, `dir-3`… when runs of one workload and variant start in the same second (a campaign). */
function uniqueDir(dir: string): string {
  mkdirSync(dirname(dir), { recursive: true });
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? dir : `${dir}-${i}`;
    try {
      mkdirSync(candidate);
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
}
