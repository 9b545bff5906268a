import { describe, expect, it } from "vitest";
import { PROBE_F } from "../../checkers/after-heal.ts";
import { runTest } from "./run.ts";
import { base, fakeEnvironment, history, tmp } from "./testing/fake-run.ts";

describe.concurrent("runTest on a fake cluster: recovery after the heal", () => {
  it.each([
    ["register", "sync"],
    ["queue", "protected"],
  ])(
    "%s %s recovers after the heal: after-heal valid, no probe (its clients own no ephemeral)",
    async (workload, variant) => {
      const { env } = fakeEnvironment();
      const out = await runTest({ ...base, workload, variant, nemesis: ["partition"], results: tmp() }, env);
      expect(out.results.checkers["after-heal"]).toMatchObject({
        valid: true,
        progress: { withinBound: true },
        ephemerals: { listings: 0, leakedCount: 0 },
      });
    },
  );

  it.each([
    ["election", "guarded"],
    ["exporter", "deduped"],
  ])("%s %s recovers after the heal: after-heal valid, its listing judged", async (workload, variant) => {
    const { env } = fakeEnvironment();
    const out = await runTest({ ...base, workload, variant, nemesis: ["partition"], results: tmp() }, env);
    expect(out.results.checkers["after-heal"]).toMatchObject({
      valid: true,
      progress: { withinBound: true },
      ephemerals: { leakedCount: 0 },
    });
    const listed = (out.results.checkers["after-heal"]!.ephemerals as { judgedListings: number })
      .judgedListings;
    expect(listed).toBe(base.clients);
  });

  // The default session timeout is 4 s: a listing at once comes well before it.
  it.each([
    ["none", { waitMs: 0 }, null],
    ["partition", null, "a fault ran"],
  ])(
    "lock, nemesis %s: the probe waits a session timeout only if a session may have been let go",
    async (nemesis, value, letGo) => {
      const { env } = fakeEnvironment();
      const out = await runTest(
        { ...base, workload: "lock", variant: "fenced", nemesis: [nemesis], results: tmp() },
        env,
      );
      const probes = history(out.dir).filter((o) => o.f === PROBE_F);
      expect(probes.filter((o) => o.type === "invoke").map((o) => o.value)).toEqual(
        Array(base.clients).fill(value),
      );
      const waited = probes
        .filter((o) => o.type === "ok")
        .map((o) => (o.value as { waitedMs: number }).waitedMs);
      expect(waited).toHaveLength(base.clients);
      for (const ms of waited) expect(ms < 4000).toBe(letGo === null);
      expect(out.results.checkers["after-heal"]).toMatchObject({
        valid: true,
        ephemerals: { judgedListings: base.clients, leakedCount: 0, letGo },
      });
    },
  );
});
