/**
 * A client that crashes mid-run, end to end: runTest on a fake cluster with real worker processes (their
 * sessions on a stub server), a recipe that throws from a library callback. The run goes on and is judged.
 */
import { getEventListeners } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientCrash, Op } from "../../kernel/op.ts";
import type { Workload } from "../../workloads/workload.ts";
import type { ClientInit } from "../worker/client-pool.ts";
import { SessionServer } from "../worker/testing/session-server.ts";
import { CRASHES_IN_A_ROW, WorkerPool } from "../worker/worker-pool.ts";
import { historyShapeProblems } from "./history-shape.ts";
import { runTest, type RunEnvironment } from "./run.ts";
import { FakeClusters } from "./testing/fake-clusters.ts";

const CLIENT = join(import.meta.dirname, "..", "worker", "testing", "crashing-client.ts");

const server = new SessionServer();
let connectString = "";
beforeAll(async () => void (connectString = await server.start()));
afterAll(() => server.stop());

/** Worker processes whose sessions live on the stub server instead of the fake cluster. */
class StubSessionWorkers extends WorkerPool {
  override init(base: ClientInit, timeoutMs?: number): Promise<void> {
    return super.init({ ...base, connectString }, timeoutMs);
  }
}

const env = (): RunEnvironment => ({
  clusters: new FakeClusters(),
  clients: (n) => new StubSessionWorkers(n),
});

const workload = (name: string, crashEvery: number, finalOps = ["ok"]): Workload => ({
  name,
  variants: ["plain"],
  clientModule: CLIENT,
  reads: new Set(),
  nextOp: (_random, n) => ({ f: n % crashEvery === crashEvery - 1 ? "crash" : "ok", value: n }),
  finalOps: () => finalOps.map((f) => ({ f, value: null })),
  checkers: () => [],
});

const history = (dir: string): Op[] =>
  readFileSync(join(dir, "history.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Op);

const spec = { clients: 2, rate: 40, nemesisInterval: 1, sessionTimeoutMs: 1000, seed: 7 };

describe("a client that crashes during a run", () => {
  it("is recorded as info with the crash, its slot goes on with a fresh worker, the run is judged", async () => {
    const out = await runTest(
      { ...spec, timeLimit: 4, nemesis: ["client-pause"], results: mkdtempSync(join(tmpdir(), "zk-chaos-")) },
      env(),
      { workload: workload("crashy", 6) },
    );
    const ops = history(out.dir);
    expect(historyShapeProblems(ops)).toEqual([]);
    const crashed = ops.filter((o) => o.crash !== undefined);
    expect(crashed.length).toBeGreaterThan(0);
    for (const op of crashed.filter((o) => o.type === "info")) {
      expect(op).toMatchObject({ f: "crash", error: "client crashed (exit code 1)" });
      expect((op.crash as ClientCrash).stderr.join("\n")).toContain("CONNECTION_LOSS");
    }
    // After a crash the slot ran ok ops again, under a new process number (an info retires one).
    const first = crashed[0]!;
    const slot = (first.crash as ClientCrash).slot;
    const later = ops.filter(
      (o) =>
        o.index > first.index && o.type === "ok" && typeof o.process === "number" && o.process % 2 === slot,
    );
    expect(later.length).toBeGreaterThan(0);
    expect(ops.some((o) => o.process === "nemesis" && o.f === "pause-client")).toBe(true);
    const results = JSON.parse(readFileSync(join(out.dir, "results.json"), "utf8"));
    expect(results.valid).toBe(true);
    expect(results.stats.clientCrashes).toBe(crashed.length);
    expect(results.stats.slotsRetired).toBe(0);
  });

  it(`a slot that crashes ${CRASHES_IN_A_ROW} times in a row stops; the run still ends with a verdict`, async () => {
    const out = await runTest(
      { ...spec, timeLimit: 2, nemesis: ["none"], results: mkdtempSync(join(tmpdir(), "zk-chaos-")) },
      env(),
      // However many crashes the main phase saw, the final phase's crashes complete the row.
      { workload: workload("always-crashes", 1, Array<string>(CRASHES_IN_A_ROW + 1).fill("crash")) },
    );
    const ops = history(out.dir);
    expect(historyShapeProblems(ops)).toEqual([]);
    const crashes = ops.map((o) => o.crash as ClientCrash | undefined).filter((c) => c !== undefined);
    for (const slot of [0, 1]) {
      const mine = crashes.filter((c) => c.slot === slot);
      expect(mine.map((c) => c.inARow)).toEqual(Array.from({ length: CRASHES_IN_A_ROW }, (_, i) => i + 1));
      expect(mine.at(-1)!.retired).toBe(true);
    }
    // A retired slot runs no further op.
    expect(ops.filter((o) => o.type === "invoke" && typeof o.process === "number")).toHaveLength(
      2 * CRASHES_IN_A_ROW,
    );
    expect(out.results.valid).toBe(true);
    expect(out.results.stats).toMatchObject({ clientCrashes: 2 * CRASHES_IN_A_ROW, slotsRetired: 2 });
  });
});

describe("runs that share one abort signal (a campaign's, a bench's)", () => {
  it("leave no listener behind on it", async () => {
    const abort = new AbortController();
    for (let i = 0; i < 2; i++) {
      const out = await runTest(
        { ...spec, timeLimit: 1, nemesis: ["none"], results: mkdtempSync(join(tmpdir(), "zk-chaos-")) },
        env(),
        { workload: workload("calm", 1_000_000), signal: abort.signal },
      );
      expect(out.results.valid).toBe(true);
      expect(getEventListeners(abort.signal, "abort")).toHaveLength(0);
    }
  });
});
