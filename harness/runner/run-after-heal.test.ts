import { describe, expect, it } from "vitest";
import { PROBE_F } from "../../checkers/after-heal.ts";
import { PHASE_F } from "../../kernel/op.ts";
import { registerWorkload } from "../../workloads/register/index.ts";
import { withAfterHeal } from "../../workloads/after-heal/with-after-heal.ts";
import { finalBoundMs } from "./phases.ts";
import { runTest } from "./run.ts";
import { DEFAULT_SPEC, type TestSpec } from "./test-spec.ts";
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

  it("--after-heal-bound: the final phase tries that long, its mark records it, the checker judges by it", async () => {
    const { env } = fakeEnvironment();
    const out = await runTest(
      {
        ...base,
        workload: "register",
        variant: "sync",
        nemesis: ["partition"],
        afterHealBoundMs: 2000,
        results: tmp(),
      },
      env,
    );
    const final = history(out.dir).filter((o) => o.f === PHASE_F && o.value === "final");
    expect(final.map((o) => o["boundMs"])).toEqual([2000, 2000]);
    expect(out.results.checkers["after-heal"]).toMatchObject({
      valid: true,
      boundMs: 2000,
      boundSource: "the run's --after-heal-bound",
    });
  });
});

describe("finalBoundMs", () => {
  const spec = { ...DEFAULT_SPEC, variant: "sync", seed: 1 } as TestSpec;
  it("the run's bound, else the workload's after-heal bound, else the session timeout + 25 s", () => {
    const own = withAfterHeal({ ...registerWorkload, checkers: () => [] }, { boundMs: 9000 });
    expect(finalBoundMs({ spec: { ...spec, afterHealBoundMs: 3000 }, workload: own })).toBe(3000);
    expect(finalBoundMs({ spec, workload: own })).toBe(9000);
    expect(finalBoundMs({ spec, workload: registerWorkload })).toBe(29_000);
  });
});
