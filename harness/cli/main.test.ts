import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { writeSyntheticRun } from "../../report/testing/synthetic.ts";

const CLI = join(dirname(fileURLToPath(import.meta.url)), "../../bin/zk-chaos.js");

describe("the CLI entry", () => {
  it("exits only once its output has gone through the pipe: a big export arrives whole", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "zk-chaos-main-")), "run");
    writeSyntheticRun(dir, { ops: 3000 });
    const file = join(dir, "history.edn");
    expect(spawnSync(process.execPath, [CLI, "export", dir, "-o", file]).status).toBe(0);
    const piped = spawnSync(process.execPath, [CLI, "export", dir], { encoding: "utf8", timeout: 60_000 });
    expect(piped.status).toBe(0);
    const whole = readFileSync(file, "utf8");
    expect(whole.length).toBeGreaterThan(128 * 1024);
    expect(piped.stdout).toBe(whole);
  }, 120_000);
});
