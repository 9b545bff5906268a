import { describe, expect, it } from "vitest";
import {
  afterHeal,
  checkAfterHeal,
  lastHeal,
  PROBE_F,
  sessionsLetGo,
  type ListedNode,
} from "./after-heal.ts";
import { history, type Ev } from "./testing/history.ts";

const S = 1e9;
const ROOT = "/zk-chaos-lock";

/** A nemesis event or phase mark at `t` seconds. */
const nem = (f: string, value: unknown, t: number): Ev[] => [
  ["nemesis", "invoke", f, null, t * S],
  ["nemesis", "info", f, value, t * S],
];
const phase = (m: string, t: number): Ev[] => nem("phase", m, t);
/** A client op from `a` to `b` seconds. */
const op = (
  process: number,
  f: string,
  a: number,
  b: number,
  type: "ok" | "fail" | "info",
  extra: { value?: unknown; error?: string; session?: string } = {},
): Ev[] => [
  [process, "invoke", f, null, a * S],
  [
    process,
    type,
    f,
    extra.value ?? null,
    b * S,
    {
      ...(extra.error ? { error: extra.error } : {}),
      ...(extra.session ? { session: extra.session } : {}),
    },
  ],
];
const probe = (process: number, a: number, waitedMs: number, nodes: ListedNode[], session: string): Ev[] =>
  op(process, PROBE_F, a, a + waitedMs / 1000 + 0.1, "ok", {
    value: { roots: [ROOT], sessionTimeoutMs: 4000, waitedMs, nodes },
    session,
  });
const lockNode = (name: string, owner: string | null): ListedNode => ({ path: `${ROOT}/${name}`, owner });

/** A run: a partition from 10 s to 20 s, the final phase from 25 s, and `final` in between. */
const run = (...final: Ev[][]): ReturnType<typeof history> =>
  history(
    ...phase("main", 0),
    ...nem("start-partition", { nodes: ["zk1"] }, 10),
    ...nem("stop-partition", null, 20),
    ...phase("final", 25),
    ...final.flat(),
    ...phase("done", 70),
  );

const opts = { progress: ["critical"], ephemerals: [ROOT] };

describe("after-heal", () => {
  it("valid: a client takes the lock soon after the heal and every ephemeral belongs to a live session", () => {
    const h = run(
      op(0, "critical", 25, 26, "ok", { session: "0xa" }),
      op(1, "critical", 25, 26.5, "ok", { session: "0xb" }),
      probe(0, 26, 6000, [lockNode("lock-0xb-0000000007", "0xb")], "0xa"),
    );
    const r = checkAfterHeal(h, opts);
    expect(r).toMatchObject({
      valid: true,
      lastHeal: 20 * S,
      healedBy: "partition",
      boundMs: 29_000,
      deadline: 49 * S,
      progress: { tried: 2, withinBound: true, firstOk: { process: 0, end: 26 * S } },
      ephemerals: { listings: 1, judgedListings: 1, leakedCount: 0 },
    });
    expect(afterHeal(opts).name).toBe("after-heal");
  });

  it("stuck: no client takes the lock after the heal; the evidence says what blocked it", () => {
    const behind = "not acquired: timeout behind lock-0x5-0000000003";
    const h = run(
      op(0, "critical", 25, 37, "fail", { error: behind, session: "0xa" }),
      op(0, "critical", 37.3, 49.3, "fail", { error: behind, session: "0xa" }),
      probe(0, 50, 6000, [lockNode("lock-0x5-0000000003", null)], "0xa"),
    );
    const r = checkAfterHeal(h, opts);
    expect(r.valid).toBe(false);
    expect(r.stuck).toEqual([`no critical succeeded after the last heal (2 tried; the last: ${behind})`]);
    expect(r.stuckAt).toBe(49 * S); // the bound passed with no success
    expect(r).toMatchObject({
      progress: { tried: 2, firstOk: null, withinBound: false },
      ephemerals: { last: { nodes: [{ path: `${ROOT}/lock-0x5-0000000003`, owner: null }] } },
    });
  });

  it("stuck: the first success comes past the bound", () => {
    const h = run(op(0, "critical", 25, 60, "ok", { session: "0xa" }), probe(0, 60, 6000, [], "0xa"));
    const r = checkAfterHeal(h, opts);
    expect(r.valid).toBe(false);
    expect(r.stuck).toEqual(["first critical ok only 40.0 s after the last heal, past the bound of 29.0 s"]);
    expect(r.stuckAt).toBe(49 * S);
  });

  it("a bound of one's own replaces the default", () => {
    const h = run(op(0, "critical", 25, 40, "ok", { session: "0xa" }), probe(0, 40, 6000, [], "0xa"));
    expect(checkAfterHeal(h, opts).valid).toBe(true);
    expect(checkAfterHeal(h, { ...opts, boundMs: 10_000 })).toMatchObject({
      valid: false,
      boundMs: 10_000,
      boundSource: "option boundMs",
    });
  });

  it("a bound the run was given (on the final phase's mark) comes before the option and the default", () => {
    const given = (boundMs: number) =>
      run(op(0, "critical", 25, 40, "ok", { session: "0xa" }), probe(0, 40, 6000, [], "0xa")).map((o) =>
        o.f === "phase" && o.value === "final" ? { ...o, boundMs } : o,
      );
    expect(checkAfterHeal(given(10_000), { ...opts, boundMs: 60_000 })).toMatchObject({
      valid: false,
      boundMs: 10_000,
      boundSource: "the run's --after-heal-bound",
    });
    expect(checkAfterHeal(given(20_000), opts)).toMatchObject({ valid: true, boundMs: 20_000 });
    expect(afterHeal({ boundMs: 7000 }).boundMs).toBe(7000);
  });

  it("leaked: an ephemeral owned by a session no client holds, listed a session timeout after the heal", () => {
    const h = run(
      op(0, "critical", 25, 26, "ok", { session: "0xa" }),
      op(1, "critical", 25, 27, "ok", { session: "0xb" }),
      probe(
        0,
        27,
        6000,
        [lockNode("lock-0x9-0000000002", "0x9"), lockNode("lock-0xb-0000000008", "0xb")],
        "0xa",
      ),
    );
    const r = checkAfterHeal(h, opts);
    expect(r.valid).toBe(false);
    expect(r.stuck).toEqual([
      `1 ephemeral znodes owned by sessions no client holds (first ${ROOT}/lock-0x9-0000000002 of session 0x9)`,
    ]);
    expect(r).toMatchObject({
      ephemerals: {
        leakedCount: 1,
        leaked: [{ path: `${ROOT}/lock-0x9-0000000002`, owner: "0x9", listedAt: 33 * S }],
        liveSessions: ["0xa", "0xb"],
      },
    });
    expect(r.stuckAt).toBeUndefined(); // a leak, not a stall: its moment is the listing's
  });

  it("a listing taken before a session timeout passed judges no leak: unknown when a listing was expected", () => {
    const h = run(
      op(0, "critical", 25, 26, "ok", { session: "0xa" }),
      probe(0, 21, 500, [lockNode("lock-0x9-0000000002", "0x9")], "0xa"),
    );
    const r = checkAfterHeal(h, opts);
    expect(r.valid).toBe("unknown");
    expect(r.reason).toBe("every listing came before a session timeout had passed since the heal");
    expect(checkAfterHeal(h, { progress: ["critical"] }).valid).toBe(true);
  });

  describe("with no session let go, a listing at once is judged", () => {
    /** A run without faults: ops of sessions 0xa and 0xb, the final phase from 10 s, then `final`. */
    const calm = (...final: Ev[][]): ReturnType<typeof history> =>
      history(
        ...phase("main", 0),
        ...op(0, "critical", 1, 2, "ok", { session: "0xa" }),
        ...op(1, "critical", 2, 3, "ok", { session: "0xb" }),
        ...phase("final", 10),
        ...final.flat(),
        ...phase("done", 12),
      );
    const held = (...sessions: string[]) => new Set(sessions);

    it("why a wait is needed: a fault, a crash, a session no client holds; else none", () => {
      const h = calm(op(0, "critical", 10, 10.5, "ok", { session: "0xa" }));
      expect(sessionsLetGo(h, held("0xa", "0xb"))).toBeNull();
      expect(sessionsLetGo(h, held("0xa"))).toBe("session 0xb was let go");
      expect(sessionsLetGo(run(), held())).toBe("a fault ran");
      const crashed = history(
        ...phase("main", 0),
        [0, "invoke", "critical", null, S],
        [0, "info", "critical", null, 2 * S, { crash: { slot: 0, code: null, signal: "SIGKILL" } }],
      );
      expect(sessionsLetGo(crashed, held())).toBe("client process 0 crashed");
    });

    it("valid: the listing at the final phase's start finds only held sessions' nodes", () => {
      const h = calm(
        op(0, "critical", 10, 10.5, "ok", { session: "0xa" }),
        op(1, "critical", 10, 10.6, "ok", { session: "0xb" }),
        probe(0, 10.6, 0, [lockNode("lock-0xa-0000000009", "0xa")], "0xa"),
      );
      const r = checkAfterHeal(h, opts);
      expect(r.valid).toBe(true);
      expect(r).toMatchObject({ ephemerals: { judgedListings: 1, letGo: null, leakedCount: 0 } });
    });

    it("leaked: a node of a session no client holds, in a listing at once", () => {
      const h = calm(
        op(0, "critical", 10, 10.5, "ok", { session: "0xa" }),
        op(1, "critical", 10, 10.6, "ok", { session: "0xb" }),
        probe(0, 10.6, 0, [lockNode("lock-0x9-0000000002", "0x9")], "0xa"),
      );
      expect(checkAfterHeal(h, opts)).toMatchObject({ valid: false, ephemerals: { leakedCount: 1 } });
    });

    it("a session let go without a fault (a client that moved to a new one) needs the wait again", () => {
      const h = calm(
        op(0, "critical", 10, 10.5, "ok", { session: "0xa" }),
        op(1, "critical", 10, 10.6, "ok", { session: "0xc" }),
        probe(0, 10.6, 0, [lockNode("lock-0xb-0000000002", "0xb")], "0xa"),
      );
      expect(checkAfterHeal(h, opts)).toMatchObject({
        valid: "unknown",
        reason: "every listing came before a session timeout had passed since the heal",
        ephemerals: { judgedListings: 0, letGo: "session 0xb was let go" },
      });
    });
  });

  it("no listing where one was expected is unknown", () => {
    const h = run(op(0, "critical", 25, 26, "ok", { session: "0xa" }));
    expect(checkAfterHeal(h, opts)).toMatchObject({
      valid: "unknown",
      reason: `no listing of ${ROOT} after the heal`,
    });
  });

  it("drained: acknowledged items out by the bound; late or never is stuck", () => {
    const q = (...drains: Ev[][]) => run(drains.flat(), probe(0, 40, 6000, [], "0xa"));
    // Enqueues of "a" and "b", acknowledged before the partition.
    const enq = (v: string, t: number): Ev[] => [
      [1, "invoke", "enqueue", v, t * S],
      [1, "ok", "enqueue", v, (t + 0.1) * S],
    ];
    const drainOpts = { progress: ["drain"], drained: true, ephemerals: [ROOT] };
    const ok = q(
      enq("a", 1),
      enq("b", 2),
      op(0, "drain", 25, 27, "ok", { value: ["a", "b"], session: "0xa" }),
    );
    expect(checkAfterHeal(ok, drainOpts)).toMatchObject({
      valid: true,
      drained: { acknowledged: 2, lateCount: 0, neverCount: 0 },
    });
    const late = q(
      enq("a", 1),
      enq("b", 2),
      op(0, "drain", 25, 27, "ok", { value: ["a"], session: "0xa" }),
      op(0, "drain", 27, 55, "ok", { value: ["b"], session: "0xa" }),
    );
    const r = checkAfterHeal(late, drainOpts);
    expect(r).toMatchObject({ valid: false, drained: { lateCount: 1, late: ["b"], neverCount: 0 } });
    expect(r.stuck).toEqual(["1 acknowledged items not dequeued within 29000 ms of the heal"]);
    const never = q(enq("a", 1), op(0, "drain", 25, 27, "ok", { value: [], session: "0xa" }));
    expect(checkAfterHeal(never, drainOpts)).toMatchObject({
      valid: false,
      drained: { neverCount: 1, never: ["a"] },
    });
  });

  it("a history cut before anything succeeded is unknown, not stuck", () => {
    const h = history(
      ...phase("main", 0),
      ...nem("start-partition", null, 10),
      ...nem("stop-partition", null, 20),
      ...phase("final", 25),
      ...op(0, "critical", 25, 30, "fail", { error: "not acquired: timeout", session: "0xa" }),
    );
    expect(checkAfterHeal(h, opts)).toMatchObject({
      valid: "unknown",
      cut: "the final phase did not finish",
    });
  });

  it("the last heal: the last window's end; a window never closed was healed at the final phase", () => {
    expect(lastHeal(run())).toEqual({ time: 20 * S, by: "partition" });
    const open = history(...phase("main", 0), ...nem("pause-client", { slot: 1 }, 10), ...phase("final", 30));
    expect(lastHeal(open)).toEqual({ time: 30 * S, by: "pause-client (healed at the final phase)" });
    const none = history(...phase("main", 0), ...phase("final", 61));
    expect(lastHeal(none)).toEqual({ time: 61 * S, by: "no fault: the final phase's start" });
    expect(lastHeal(history())).toBeNull();
    expect(checkAfterHeal(history(...phase("main", 0)), opts).valid).toBe("unknown");
  });

  it("an older or imported history without phase marks has no final phase: not judged", () => {
    const h = history(...op(0, "critical", 1, 2, "fail", { error: "busy" }));
    expect(checkAfterHeal(h, opts)).toEqual({
      valid: true,
      notJudged: "no phase marks (an older or imported history): no final phase to judge",
    });
  });

  it("nothing tried after the heal is unknown", () => {
    const h = run(op(0, "critical", 5, 6, "ok", { session: "0xa" }), probe(0, 30, 6000, [], "0xa"));
    expect(checkAfterHeal(h, opts)).toMatchObject({
      valid: "unknown",
      reason: "no critical was tried after the last heal",
    });
  });
});
