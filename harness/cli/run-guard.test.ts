/**
 * The run's guard: signals and uncaught errors abort the run so it cleans up; a second signal forces the exit;
 * an uncaught error ends `zk-chaos run` with 255 and one line. The guard's listeners are called directly
 * (emitting a real uncaughtException would reach the test runner's own handler too).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { EXIT, ExitError } from "../core/errors.ts";
import { guardRun } from "./run-guard.ts";

const runTestCalls: { signal: AbortSignal }[] = [];
vi.mock("../runner/run.ts", () => ({
  // a run that lasts until it is aborted, then heals, tears down and checks (here: returns an outcome)
  runTest: async (raw: Record<string, unknown>, opts: { signal: AbortSignal }) => {
    runTestCalls.push(opts);
    await new Promise((resolve) => opts.signal.addEventListener("abort", resolve, { once: true }));
    return {
      spec: { ...raw, workload: "register", variant: "sync", nemesis: ["none"], seed: 1 },
      dir: "/tmp/zk-chaos-guard-test",
      results: { valid: true, checkers: {}, stats: { ops: 3, throughput: 1 } },
      throughput: 1,
    };
  },
}));
vi.mock("../../docker/cleanup.ts", () => ({
  removeLabelled: async () => ({ containers: 0, networks: 0 }),
}));

type Listener = (...args: unknown[]) => void;
const EVENTS = ["SIGINT", "SIGTERM", "uncaughtException", "unhandledRejection"] as const;

/** The listeners added since `before` for each event. */
function added(before: Map<string, Listener[]>): Record<(typeof EVENTS)[number], Listener> {
  const out = {} as Record<(typeof EVENTS)[number], Listener>;
  for (const ev of EVENTS) {
    const fresh = (process.listeners(ev as never) as Listener[]).filter((l) => !before.get(ev)!.includes(l));
    expect(fresh, ev).toHaveLength(1);
    out[ev] = fresh[0] as Listener;
  }
  return out;
}
const snapshot = () =>
  new Map<string, Listener[]>(EVENTS.map((e) => [e, [...(process.listeners(e as never) as Listener[])]]));

afterEach(() => vi.restoreAllMocks());

describe("guardRun", () => {
  it("first signal aborts the run, a second one exits 255 at once", () => {
    const before = snapshot();
    const abort = new AbortController();
    const lines: string[] = [];
    const exit = vi.fn();
    const guard = guardRun(abort, { write: (t) => lines.push(t), exit });
    const l = added(before);
    l.SIGINT("SIGINT");
    expect(abort.signal.aborted).toBe(true);
    expect(exit).not.toHaveBeenCalled();
    l.SIGTERM("SIGTERM");
    expect(exit).toHaveBeenCalledWith(EXIT.harness);
    expect(lines.join("")).toMatch(/SIGINT: healing, tearing down[\s\S]*SIGTERM again: exiting now/);
    guard.dispose();
    for (const ev of EVENTS) expect(process.listeners(ev as never)).toEqual(before.get(ev));
  });

  it.each(["uncaughtException", "unhandledRejection"] as const)(
    "%s aborts the run, says so in one line, and makes the exit 255",
    (ev) => {
      const before = snapshot();
      const abort = new AbortController();
      const lines: string[] = [];
      const guard = guardRun(abort, { write: (t) => lines.push(t), exit: vi.fn() });
      const l = added(before);
      l[ev](new TypeError("worker 2 exploded\n    at somewhere (x.ts:1:1)"));
      l[ev](new Error("a second one"));
      expect(abort.signal.aborted).toBe(true);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^zk-chaos: internal error: worker 2 exploded at somewhere .*keeping what was recorded\n$/,
      );
      expect(guard.fatal?.message).toMatch(/^worker 2 exploded/);
      expect(() => guard.throwIfFatal()).toThrow(ExitError);
      guard.dispose();
    },
  );

  it("a cleanup that hangs after an uncaught error is cut short", async () => {
    const before = snapshot();
    const exit = vi.fn();
    const lines: string[] = [];
    const guard = guardRun(new AbortController(), { write: (t) => lines.push(t), exit, graceMs: 20 });
    added(before).uncaughtException(new Error("boom"));
    await new Promise((r) => setTimeout(r, 60));
    expect(exit).toHaveBeenCalledWith(EXIT.harness);
    expect(lines[1]).toMatch(/cleanup did not finish in time/);
    guard.dispose();
  });

  it("no watchdog once the run is over", async () => {
    const before = snapshot();
    const exit = vi.fn();
    const guard = guardRun(new AbortController(), { write: () => {}, exit, graceMs: 20 });
    added(before).unhandledRejection(new Error("boom"));
    guard.dispose();
    await new Promise((r) => setTimeout(r, 60));
    expect(exit).not.toHaveBeenCalled();
  });
});

describe("zk-chaos run and an uncaught error", () => {
  it("aborts the run (which cleans up and keeps what it recorded), prints the verdict, exits 255 with one line", async () => {
    const { main } = await import("./program.ts");
    let err = "";
    let out = "";
    vi.spyOn(process.stderr, "write").mockImplementation(
      (c: string | Uint8Array) => ((err += String(c)), true),
    );
    vi.spyOn(process.stdout, "write").mockImplementation(
      (c: string | Uint8Array) => ((out += String(c)), true),
    );
    const before = snapshot();
    runTestCalls.length = 0;
    const running = main(["run", "--workload", "register", "--nemesis", "none"]);
    await vi.waitFor(() => expect(runTestCalls).toHaveLength(1));
    const l = added(before);
    l.unhandledRejection(new Error("ECONNRESET from a worker"));
    expect(runTestCalls[0]!.signal.aborted).toBe(true);
    const code = await running;
    vi.restoreAllMocks();
    expect(code).toBe(EXIT.harness);
    expect(err.match(/internal error/g)).toHaveLength(1);
    expect(err).toMatch(/^zk-chaos: internal error: ECONNRESET from a worker; healing, tearing down/m);
    expect(err).not.toMatch(/^\s+at /m);
    expect(out).toMatch(/report: /);
    for (const ev of EVENTS) expect(process.listeners(ev as never)).toEqual(before.get(ev));
  });
});
