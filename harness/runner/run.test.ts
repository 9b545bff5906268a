import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cutLine, historyCompleteness } from "../../checkers/history-completeness.ts";
import { queueWorkload } from "../../workloads/queue/index.ts";
import type { Workload } from "../../workloads/workload.ts";
import { historyShapeProblems } from "./history-shape.ts";
import { runTest, type RunEnvironment } from "./run.ts";
import type { InProcessClients } from "./testing/in-process-clients.ts";
import { base, fakeEnvironment, history, marks, tmp } from "./testing/fake-run.ts";

// Faults aimed at clients: run-faults.test.ts; recovery after the heal: run-after-heal.test.ts.
describe.concurrent("runTest on a fake cluster", () => {
  it("tries a final op that failed again until some client's op of its kind succeeds", async () => {
    const { env } = fakeEnvironment();
    const workload: Workload = {
      name: "late-final",
      variants: ["plain"],
      clientModule: join(import.meta.dirname, "testing", "late-final.ts"),
      reads: new Set(),
      nextOp: () => ({ f: "op", value: null }),
      finalOps: () => [{ f: "take", value: null }],
      checkers: () => [],
    };
    const out = await runTest({ ...base, nemesis: ["none"], results: tmp() }, env, { workload });
    const takes = history(out.dir).filter((o) => o.f === "take" && typeof o.process === "number");
    const ok = takes.find((o) => o.type === "ok")!;
    expect(ok.process).toBe(0);
    expect(takes.filter((o) => o.process === 0 && o.type === "fail")).toHaveLength(2);
    // The others stop once it succeeded: at most one more try each, begun before they saw it.
    const after = takes.filter((o) => o.type === "invoke" && o.time > ok.time);
    expect(after.length).toBeLessThanOrEqual(base.clients - 1);
    expect(takes.filter((o) => o.type === "invoke" && o.process !== 0).length).toBeGreaterThan(2);
  });

  it("runs every phase, records ops and faults, heals, tears down and judges", async () => {
    const { env, clusters, pools, after } = fakeEnvironment();
    const results = tmp();
    const out = await runTest(
      { ...base, workload: "lock", variant: "fenced", nemesis: ["partition", "kill"], results },
      env,
    );
    expect(out.results.valid).toBe(true);
    expect(out.results.checkers["lock-safety"]).toMatchObject({ valid: true });
    const ops = history(out.dir);
    const clientOps = ops.filter((o) => typeof o.process === "number");
    expect(clientOps.filter((o) => o.type === "ok").length).toBeGreaterThan(5);
    const faults = ops
      .filter((o) => o.process === "nemesis" && o.type === "info" && o.f !== "phase")
      .map((o) => o.f);
    expect(faults.length).toBeGreaterThanOrEqual(2);
    expect(faults.some((f) => f.startsWith("start-") || f === "kill")).toBe(true);
    // Every fault healed, every scope released, and the caller got the folder after teardown.
    const [cluster] = clusters.started;
    expect(cluster!.faultsLeft).toBe(0);
    expect(cluster!.closed).toBe(true);
    expect(pools[0]!.closed).toBe(true);
    expect(after).toEqual([out.dir]);
    const test = JSON.parse(readFileSync(join(out.dir, "test.json"), "utf8"));
    expect(test).toMatchObject({
      workload: "lock",
      variant: "fenced",
      seed: 3,
      images: { zookeeper: "fake-zookeeper" },
    });
    expect(readFileSync(join(out.dir, "nodes", "zk1.log"), "utf8")).toContain("fake server");
    expect(JSON.parse(readFileSync(join(out.dir, "results.json"), "utf8")).valid).toBe(true);
    expect(existsSync(join(results, "latest"))).toBe(true);
  });

  it("--faults caps the schedule: one fault in, one out, then quiet until the end", async () => {
    const { env } = fakeEnvironment();
    const out = await runTest(
      {
        ...base,
        timeLimit: 4,
        workload: "lock",
        variant: "fenced",
        nemesis: ["kill"],
        faults: 1,
        results: tmp(),
      },
      env,
    );
    const faults = history(out.dir)
      .filter((o) => o.process === "nemesis" && o.type === "info" && o.f !== "phase")
      .map((o) => o.f);
    expect(faults).toEqual(["kill", "start"]);
  });

  it("no --nemesis: the workload's own default faults, kept in test.json", async () => {
    const { env } = fakeEnvironment();
    const out = await runTest({ ...base, workload: "queue", variant: "protected", results: tmp() }, env);
    expect(out.spec.nemesis).toEqual([queueWorkload.defaultNemesis]);
    expect(JSON.parse(readFileSync(join(out.dir, "test.json"), "utf8")).nemesis).toEqual(["lost-replies"]);
  });

  it("results.json holds the run's health: event-loop delay, host load, harness CPU, pacer lag", async () => {
    const { env } = fakeEnvironment();
    const out = await runTest({ ...base, workload: "register", nemesis: ["none"], results: tmp() }, env);
    const { health } = JSON.parse(readFileSync(join(out.dir, "results.json"), "utf8"));
    expect(health).toEqual(out.results.health);
    expect(Object.keys(health).sort()).toEqual(
      ["eventLoopDelayMs", "eventLoopUtilization", "harnessCpu", "load", "pacer", "seconds"].sort(),
    );
    const numbers = [
      health.seconds,
      health.eventLoopUtilization,
      ...Object.values(health.eventLoopDelayMs),
      ...Object.values(health.load),
      ...Object.values(health.harnessCpu),
      ...Object.values(health.pacer),
    ];
    for (const n of numbers) expect(Number.isFinite(n) && n >= 0).toBe(true);
    expect(health.eventLoopDelayMs.max).toBeGreaterThanOrEqual(health.eventLoopDelayMs.p99);
    expect(health.load.cpus).toBeGreaterThanOrEqual(1);
    expect(health.load.samples).toBeGreaterThanOrEqual(2);
    // Watched from the main phase on: its paced ops reported their lag (rate 50 over 3 s).
    expect(health.pacer.paced).toBeGreaterThan(0);
    for (const count of [health.pacer.paced, health.pacer.behind, health.load.samples])
      expect(Number.isInteger(count)).toBe(true);
    expect(health.pacer.behind).toBeLessThanOrEqual(health.pacer.paced);
  });

  it("an ensemble that does not start: the error, the recorded files kept, afterRun still called", async () => {
    const { env, clusters, after } = fakeEnvironment();
    clusters.failStart = true;
    const results = tmp();
    await expect(runTest({ ...base, workload: "register", nemesis: ["none"], results }, env)).rejects.toThrow(
      /did not start/,
    );
    expect(after).toHaveLength(1);
    expect(existsSync(join(after[0]!, "test.json"))).toBe(true);
    expect(existsSync(join(after[0]!, "history.jsonl"))).toBe(true);
  });

  it("a client that fails mid-run ends the run with that error after healing and teardown", async () => {
    const { env, clusters, pools } = fakeEnvironment();
    const clients = env.clients!;
    const failing: RunEnvironment = {
      ...env,
      clients: (n) => {
        const pool = clients(n) as InProcessClients;
        const invoke = pool.invoke.bind(pool);
        pool.invoke = async (slot, process, op, onInvoked) => {
          if (pool.invoked[slot]! >= 5)
            throw new Error(`worker ${slot} exited (SIGKILL) with an op in flight`);
          return invoke(slot, process, op, onInvoked);
        };
        return pool;
      },
    };
    await expect(
      runTest({ ...base, workload: "register", nemesis: ["partition"], results: tmp() }, failing),
    ).rejects.toThrow(/exited \(SIGKILL\)/);
    expect(clusters.started[0]!.faultsLeft).toBe(0);
    expect(clusters.started[0]!.closed).toBe(true);
    expect(pools[0]!.killed).toBe(true);
  });

  it("aborted before the main phase: no ops, no final phase, still judged", async () => {
    const { env } = fakeEnvironment();
    const abort = new AbortController();
    abort.abort();
    const out = await runTest({ ...base, workload: "queue", nemesis: ["partition"], results: tmp() }, env, {
      signal: abort.signal,
    });
    expect(history(out.dir).filter((o) => typeof o.process === "number")).toHaveLength(0);
    expect(out.results.valid).not.toBe(false);
  });

  it("marks where the phases start and that the final phase completed", async () => {
    const { env } = fakeEnvironment();
    const out = await runTest(
      { ...base, workload: "queue", variant: "protected", nemesis: ["partition"], results: tmp() },
      env,
    );
    const ops = history(out.dir);
    expect(marks(ops)).toEqual(["main", "final", "done"]);
    expect(historyShapeProblems(ops)).toEqual([]);
    expect(historyCompleteness(ops)).toEqual({ whole: true });
    expect(out.results.checkers["total-queue"]).toMatchObject({ valid: true });
    expect(out.results.checkers["total-queue"]).not.toHaveProperty("cut");
    expect(cutLine(out.results.checkers)).toBeUndefined();
  });

  it("aborted mid-run: no final phase, the history is judged cut, what it never drained is unknown", async () => {
    const { env } = fakeEnvironment();
    const abort = new AbortController();
    // Only enqueues: every acknowledged element is still in the queue when the run stops.
    const enqueueOnly = {
      ...queueWorkload,
      nextOp: (_r: unknown, n: number) => ({ f: "enqueue", value: n }),
    };
    const out = await runTest(
      { ...base, timeLimit: 60, workload: "queue", variant: "protected", nemesis: ["none"], results: tmp() },
      env,
      {
        workload: enqueueOnly,
        onProgress: (p) => {
          if (p.opsDone > 0) abort.abort();
        },
        signal: abort.signal,
      },
    );
    const ops = history(out.dir);
    expect(marks(ops)).toEqual(["main"]);
    expect(ops.some((o) => o.f === "drain")).toBe(false);
    expect(historyCompleteness(ops)).toEqual({ whole: false, reason: "the final phase never ran" });
    const queue = out.results.checkers["total-queue"]!;
    expect(queue).toMatchObject({ valid: "unknown", lostCount: 0, cut: "the final phase never ran" });
    expect(queue.undrainedCount).toBeGreaterThan(0);
    expect(String(queue.reason)).toMatch(/^history cut before the final phase \(the final phase never ran\)/);
    expect(out.results.valid).toBe("unknown");
    expect(cutLine(out.results.checkers)).toMatch(
      /^history cut before the final phase \(the final phase never ran\)/,
    );
    const stored = JSON.parse(readFileSync(join(out.dir, "results.json"), "utf8"));
    expect(stored.checkers["total-queue"].valid).toBe("unknown");
  });
});
