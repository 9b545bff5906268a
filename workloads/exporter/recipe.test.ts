import { describe, expect, it } from "vitest";
import { compose } from "../../checkers/checker.ts";
import { checkDuplicateWrites } from "../../checkers/duplicate-writes.ts";
import { Random } from "../../kernel/random.ts";
import type { ResourceEvent } from "../../kernel/resource.ts";
import {
  FakeEnsemble,
  FakeWorker,
  Recorder,
  fakeResourceServer,
  resourceClient,
} from "../zk/testing/fake-zk.ts";
import exporterClient, { byEventOrder, candidatePrefix } from "./client.ts";
import { ELECTION_PATH, EVENTS_PATH, exporterOp, exporterWorkload, sinkWrites } from "./index.ts";

async function setUp(variant: string, workers = 3) {
  const ensemble = new FakeEnsemble();
  const resource = fakeResourceServer();
  const ws = Array.from(
    { length: workers },
    (_, i) => new FakeWorker(ensemble, i, resourceClient(resource), variant, exporterClient(variant)),
  );
  await ws[0]!.client.setup!(ws[0]!.ctx);
  const rec = new Recorder(workers);
  const verdict = async () =>
    // after-heal needs the runner's phases and probe; these histories are recorded by hand.
    compose(exporterWorkload.checkers(variant, resource.events).filter((c) => c.name !== "after-heal")).check(
      rec.history,
    ) as Promise<{
      valid: unknown;
      checkers: Record<string, Record<string, unknown>>;
    }>;
  return { ensemble, resource, ws, rec, verdict };
}

const write = (seq: number, id: string, applied: boolean, accepted = true): ResourceEvent => ({
  op: "write",
  key: "sink",
  holder: "c0/0x1",
  id,
  seq,
  time: seq,
  accepted,
  applied,
});

describe("exporter generator and wiring", () => {
  it("is deterministic per seed; emits carry unique event ids e<n>", () => {
    const gen = (seed: number) =>
      Array.from({ length: 200 }, (_, n) => exporterOp(new Random(seed).fork(`${n}`), n));
    const ops = gen(5);
    expect(gen(5)).toEqual(ops);
    const emits = ops.filter((o) => o.f === "emit");
    expect(emits.length).toBeGreaterThan(60);
    expect(ops.filter((o) => o.f === "export").length).toBeGreaterThan(60);
    for (const [n, o] of ops.entries()) if (o.f === "emit") expect(o.value).toBe(`e${n}`);
    expect(exporterWorkload.variants).toEqual(["naive", "deduped"]);
    expect(exporterWorkload.finalOps!(0, 3)).toEqual([
      { f: "export", value: "final" },
      { f: "ephemerals", value: null },
    ]);
  });

  it("orders event ids by number and names election nodes by slot and session", () => {
    expect(byEventOrder(["e10", "e2", "e1"])).toEqual(["e1", "e2", "e10"]);
    expect(candidatePrefix(2, "0x1f")).toBe("n-2-0x1f-");
  });

  it("counts a write as applied only when the sink applied it; other keys and ops are not the sink", () => {
    const sink = sinkWrites([
      write(0, "e1", true),
      write(1, "e1", false), // an idempotent repeat: acknowledged, not applied
      write(2, "e2", true),
      write(3, "e2", true), // a non-idempotent repeat: applied twice
      { ...write(4, "e3", true), key: "other" },
    ]);
    expect(sink.map((e) => e.id)).toEqual(["e1", "e1", "e2", "e2"]);
    const emits = ["e1", "e2"].flatMap((id, i) => [
      { index: 2 * i, time: 2 * i, type: "invoke" as const, process: 0, f: "emit", value: id },
      { index: 2 * i + 1, time: 2 * i + 1, type: "ok" as const, process: 0, f: "emit", value: id },
    ]);
    const verdict = checkDuplicateWrites(emits, sink, { fs: ["emit"] });
    expect(verdict).toMatchObject({ valid: false, duplicatedCount: 1, lostCount: 0 });
    expect(verdict.duplicated).toEqual([{ id: "e2", count: 2 }]);
  });
});

describe("exporter recipe on a fake ensemble", () => {
  it("naive: every instance writes every event → duplicates even without faults", async () => {
    const { ws, rec, verdict } = await setUp("naive");
    for (let n = 0; n < 4; n++) await rec.run(ws[n % 3]!, { f: "emit", value: `e${n}` });
    for (const w of ws) await rec.run(w, { f: "export", value: null });
    for (const w of ws) await rec.run(w, { f: "export", value: "final" });
    const v = await verdict();
    expect(v.valid).toBe(false);
    expect(v.checkers["duplicate-writes"]).toMatchObject({ valid: false, duplicatedCount: 4, lostCount: 0 });
  });

  it("deduped: only the leader writes; each event applied once, none lost", async () => {
    const { ensemble, resource, ws, rec, verdict } = await setUp("deduped");
    for (let n = 0; n < 5; n++) {
      await rec.run(ws[n % 3]!, { f: "emit", value: `e${n}` });
      for (const w of ws) await rec.run(w, { f: "export", value: null });
    }
    await Promise.all(ws.map((w) => rec.run(w, { f: "export", value: "final" })));
    expect(new Set(resource.events.map((e) => e.holder)).size).toBe(1);
    expect(ensemble.children(EVENTS_PATH)).toEqual([]);
    expect(rec.history.filter((o) => o.type === "fail").every((o) => o.error === "not-leader")).toBe(true);
    expect((await verdict()).valid).toBe(true);
  });

  it("deduped: a deposed leader's repeat and the new leader's resync are absorbed by the idempotent key", async () => {
    const { ensemble, resource, ws, rec, verdict } = await setUp("deduped", 2);
    await rec.run(ws[0]!, { f: "export", value: null }); // ws[0] leads
    await rec.run(ws[1]!, { f: "export", value: null }); // ws[1] joins, not leader
    await rec.run(ws[1]!, { f: "emit", value: "e1" });
    // ws[0] writes e1, then its delete's reply is lost and its session expires: e1 stays, ws[1] takes over.
    ensemble.fail({ op: "delete", path: EVENTS_PATH, applied: false });
    expect((await rec.run(ws[0]!, { f: "export", value: null })).type).toBe("info");
    ws[0]!.zk.expire();
    expect(await rec.run(ws[1]!, { f: "export", value: null })).toMatchObject({ type: "ok", value: ["e1"] });
    const v = await verdict();
    expect(v.valid).toBe(true);
    expect(v.checkers["sink-repeats"]).toMatchObject({ suppressedRepeats: 1, applied: 1 });
    expect(resource.events.map((e) => e.applied)).toEqual([true, false]);
    expect(ensemble.children(ELECTION_PATH)).toHaveLength(1);
  });

  it("an acknowledged event that no one exported is lost (the checker's other half)", async () => {
    const { ws, rec, verdict } = await setUp("deduped", 1);
    await rec.run(ws[0]!, { f: "emit", value: "e1" });
    expect((await verdict()).checkers["duplicate-writes"]).toMatchObject({ valid: false, lost: ["e1"] });
  });

  it("deduped final phase: a standby takes over when the leader's session is gone", async () => {
    const { ws, rec, verdict } = await setUp("deduped", 2);
    await rec.run(ws[0]!, { f: "export", value: null });
    await rec.run(ws[1]!, { f: "export", value: null });
    await rec.run(ws[0]!, { f: "emit", value: "e1" });
    ws[0]!.zk.expire();
    expect(await rec.run(ws[1]!, { f: "export", value: "final" })).toMatchObject({
      type: "ok",
      value: ["e1"],
    });
    expect((await verdict()).valid).toBe(true);
  });
});
