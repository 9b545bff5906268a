import { describe, expect, it } from "vitest";
import { runTest } from "./run.ts";
import { base, fakeEnvironment, history, tmp } from "./testing/fake-run.ts";

describe.concurrent("runTest on a fake cluster: client faults", () => {
  it("a client pause holds the client and expires its session; the heal resumes it", async () => {
    const { env, pools } = fakeEnvironment();
    const out = await runTest(
      {
        ...base,
        timeLimit: 6,
        workload: "lock",
        variant: "naive",
        nemesis: ["client-pause"],
        results: tmp(),
      },
      env,
    );
    const ops = history(out.dir);
    expect(ops.some((o) => o.process === "nemesis" && o.f === "pause-client")).toBe(true);
    // The paused client learned its session expired and went on with a new one: more sessions than clients.
    const sessions = new Set(
      ops.filter((o) => typeof o.process === "number" && o.session).map((o) => o.session),
    );
    expect(sessions.size).toBeGreaterThan(base.clients);
    expect(out.results.checkers["lock-safety"]).toBeDefined();
    expect(pools[0]!.closed).toBe(true);
  });

  it("a+b overlaps its faults: the pause aimed at a lock holder stays in while the partition starts", async () => {
    const { env, clusters } = fakeEnvironment();
    const out = await runTest(
      {
        ...base,
        timeLimit: 6,
        workload: "lock",
        variant: "naive",
        nemesis: ["client-pause+partition"],
        results: tmp(),
      },
      env,
    );
    const faults = history(out.dir).filter(
      (o) => o.process === "nemesis" && o.type === "info" && o.f !== "phase",
    );
    const first = (p: (f: string) => boolean) => faults.findIndex((o) => p(o.f));
    const paused = first((f) => f === "pause-client");
    const cut = first((f) => f.startsWith("start-"));
    const resumed = first((f) => f === "resume-client");
    expect(paused).toBeGreaterThanOrEqual(0);
    expect(cut).toBeGreaterThan(paused);
    expect(resumed).toBeGreaterThan(cut);
    expect(faults[paused]!.value).toMatchObject({ aimed: "holder" });
    expect(clusters.started[0]!.faultsLeft).toBe(0);
    expect(out.spec.nemesis).toEqual(["client-pause+partition"]);
  });
});
