/**
 * The lease-lock recipe on a real ensemble under client pauses (SIGSTOP for 1.5 session timeouts),
 * through the CLI and through runTest (as a user's vitest would): zk-chaos catches the lease variant's
 * stale write, and the fenced variant stays valid under the same faults and seed.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runTest } from "zk-chaos";
import leaseLock from "./lease-lock.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Two clients, so a pause often lands on the holder; a short session timeout, so pauses come often. */
const FAULTS = {
  nemesis: ["client-pause"],
  clients: 2,
  rate: 10,
  nemesisInterval: 2,
  sessionTimeoutMs: 2000,
  timeLimit: 12,
  seed: 1,
};
const TIMEOUT_MS = 180_000;
const results = () => mkdtempSync(join(tmpdir(), "zk-chaos-lease-lock-"));

describe("lease-lock, defined with the public API", () => {
  it("judges by lock safety (fenced for the fixed variant) and lost updates", () => {
    expect(leaseLock.variants).toEqual(["lease", "fenced"]);
    expect(leaseLock.variants.map((v) => leaseLock.fencedResource?.(v))).toEqual([false, true]);
    expect(leaseLock.checkers("lease", []).map((c) => c.name)).toEqual(["lock-safety", "lost-updates"]);
  });
});

// One run per variant: the lease variant through the CLI (exit code, verdict line, results.json), the fenced
// one through runTest; each path is a run of 12 s under faults, so neither runs twice. (At 8 s, 4 runs of 4
// still caught the lease variant; 12 s leaves room.)
describe("lease-lock on a real ensemble under client pauses", { tags: ["docker"] }, () => {
  it(
    "through the CLI: --variant lease exits 1 and its stale write is caught",
    async () => {
      const root = results();
      const args = [
        ...["bin/zk-chaos.js", "run", "--workload", "./examples/lease-lock/lease-lock.ts"],
        ...["--variant", "lease", "--nemesis", "client-pause", "--clients", "2", "--rate", "10"],
        ...["--nemesis-interval", "2", "--session-timeout", "2000", "--time-limit", String(FAULTS.timeLimit)],
        ...["--seed", String(FAULTS.seed), "--results", root],
      ];
      const out = await new Promise<{ code: number; stdout: string }>((resolve) =>
        execFile(process.execPath, args, { cwd: ROOT, timeout: TIMEOUT_MS }, (err, stdout) =>
          resolve({ code: err ? Number(err.code) : 0, stdout }),
        ),
      );
      expect(out.stdout).toContain("INVALID: lease-lock --variant lease");
      expect(out.code).toBe(1);
      const saved = JSON.parse(readFileSync(join(root, "latest", "results.json"), "utf8"));
      expect(saved.valid).toBe(false);
      expect(saved.checkers["lock-safety"]).toMatchObject({ valid: false });
      expect(saved.checkers["lock-safety"].overlapCount).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );

  it(
    "through runTest: the fenced variant is valid under the same faults and seed",
    async () => {
      const out = await runTest({ ...FAULTS, workload: leaseLock, variant: "fenced", results: results() });
      expect(out.results.valid).toBe(true);
      const lock = out.results.checkers["lock-safety"]!;
      expect(lock["accepted"]).toBeGreaterThan(0);
      expect(lock["fencedEvents"]).toBe(lock["accepted"]);
    },
    TIMEOUT_MS,
  );
});
