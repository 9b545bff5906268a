import { describe, expect, it } from "vitest";
import { runTest } from "./run.ts";
import { base, fakeEnvironment, tmp } from "./testing/fake-run.ts";

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
});
