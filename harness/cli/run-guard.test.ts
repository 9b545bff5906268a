/**
 * The run's guard: signals and uncaught errors abort the run so it cleans up; a second signal forces the exit;
 * an uncaught error ends `zk-chaos run` with 255 and one line. The guard's listeners are called directly
 * (emitting a real uncaughtException would reach the test runner's own handler too).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EXIT, ExitError } from "../../kernel/errors.ts";
import { guardRun } from "./run-guard.ts";

const runTestCalls: { signal: AbortSignal }[] = [];
vi.mock("./run-on-docker.ts", () => ({
  // a run that lasts until it is aborted, then heals, tears down and checks (here: returns an outcome)
  runOnDocker: async (raw: Record<string, unknown>, opts: { signal: AbortSignal }) => {
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
vi.mock("../../docker/images.ts", () => ({
  ensureImages: async () => ({}),
  ensureZooKeeperImage: async () => "zk",
  ensureProxyImage: async () => "proxy",
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
  it("first signal aborts the run, one delivered twice is one, a later second one exits 255 at once", () => {
    const before = snapshot();
    const abort = new AbortController();
    const lines: string[] = [];
    const exit = vi.fn();
    let clock = 1_000_000;
    const guard = guardRun(abort, { write: (t) => lines.push(t), exit, now: () => clock });
    const l = added(before);
    l.SIGINT("SIGINT");
    expect(abort.signal.aborted).toBe(true);
    expect(exit).not.toHaveBeenCalled();
    // The same Ctrl-C forwarded by npm a moment later is not a second one.
    clock += 50;
    l.SIGINT("SIGINT");
    expect(exit).not.toHaveBeenCalled();
    clock += 2000;
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

  it("settle: a run's record is kept as is, unless an uncaught error aborted it: then crashed, with the error", () => {
    const before = snapshot();
    const guard = guardRun(new AbortController(), { write: () => {}, exit: vi.fn() });
    const record = { verdict: "invalid" as const, dir: "/r/lock-naive/1", checkers: { x: { valid: false } } };
    expect(guard.settle(record)).toBe(record);
    added(before).uncaughtException(new Error("boom\n    at x.ts:1:1"));
    guard.dispose();
    expect(guard.settle(record)).toEqual({
      ...record,
      verdict: "crashed",
      error: "uncaught error aborted the run: boom at x.ts:1:1",
    });
    expect(guard.settle({ verdict: "crashed", error: "aborted" }).error).toMatch(/: boom/);
  });
});

/** stdout and stderr of `main` while `body` runs. */
async function captured(body: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let err = "";
  let out = "";
  vi.spyOn(process.stderr, "write").mockImplementation(
    (c: string | Uint8Array) => ((err += String(c)), true),
  );
  vi.spyOn(process.stdout, "write").mockImplementation(
    (c: string | Uint8Array) => ((out += String(c)), true),
  );
  try {
    return { code: await body(), out, err };
  } finally {
    vi.restoreAllMocks();
  }
}

/** Start `argv`, wait until its (first) run is under way, fire `ev` at the guard, and wait for the end. */
async function abortedBy(argv: string[], ev: (typeof EVENTS)[number], arg: unknown) {
  const { main } = await import("./program.ts");
  const before = snapshot();
  runTestCalls.length = 0;
  const res = await captured(async () => {
    const running = main(argv);
    // The run starts after the orphan sweep asks Docker: seconds on a busy machine.
    await vi.waitFor(() => expect(runTestCalls).toHaveLength(1), { timeout: 60_000, interval: 20 });
    added(before)[ev](arg);
    return running;
  });
  for (const e of EVENTS) expect(process.listeners(e as never)).toEqual(before.get(e));
  return res;
}

const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-guard-junit-"));
/** The testcases of a JUnit file, each with its inner XML. */
const testcases = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/<testcase ([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => ({
    attrs: m[1]!,
    inner: m[2] ?? "",
  }));

describe("--junit of a run or campaign an uncaught error aborted", () => {
  it("run: the testcase is an <error type=crashed> with the error, the results folder and the repro", async () => {
    const junit = join(tmp(), "junit.xml");
    const r = await abortedBy(
      ["run", "--workload", "register", "--nemesis", "none", "--junit", junit],
      "uncaughtException",
      new Error("ECONNRESET from a worker"),
    );
    expect(r.code).toBe(EXIT.harness);
    const [c, ...rest] = testcases(junit);
    expect(rest).toHaveLength(0);
    // The mocked run checked what it recorded and found it valid: the crash is what the testcase says.
    expect(c!.inner).toMatch(
      /^\s*<error message="harness error: uncaught error aborted the run: ECONNRESET from a worker" type="crashed">/,
    );
    expect(c!.inner).toContain("repro: npx zk-chaos repro /tmp/zk-chaos-guard-test");
    expect(c!.inner).toContain("<system-out>results: /tmp/zk-chaos-guard-test");
    expect(readFileSync(junit, "utf8")).toMatch(/<testsuites [^>]*tests="1" failures="0" errors="1"/);
  });

  it("run: a signal is not a crash; the testcase keeps the verdict of what was recorded", async () => {
    const junit = join(tmp(), "junit.xml");
    const r = await abortedBy(
      ["run", "--workload", "register", "--nemesis", "none", "--junit", junit],
      "SIGINT",
      "SIGINT",
    );
    expect(r.code).toBe(EXIT.valid);
    expect(testcases(junit)[0]!.inner).not.toMatch(/<error|<failure/);
  });

  it("campaign: the run under way is crashed in the table and the JUnit, the rest skipped; exit 255", async () => {
    const dir = tmp();
    const junit = join(dir, "junit.xml");
    const r = await abortedBy(
      [
        ...["campaign", "--workloads", "register", "--variants", "register.sync", "--nemeses", "none"],
        ...["--seeds", "2", "--seed", "1", "--results", join(dir, "results"), "--junit", junit],
      ],
      "unhandledRejection",
      new Error("socket hang up"),
    );
    expect(r.code).toBe(EXIT.harness);
    expect(r.err).toMatch(
      /\[1\/2\] register\.sync none seed 1: crashed \(uncaught error aborted the run: socket/,
    );
    expect(r.out).toMatch(/^1\s+register\.sync\s+none\s+3\.8\s+1\s+crashed\s/m);
    expect(r.out).toContain("2 runs: 0 valid, 0 invalid, 1 crashed, 1 skipped");
    const [first, second] = testcases(junit);
    expect(first!.inner).toMatch(
      /<error message="harness error: uncaught error aborted the run: socket hang up" type="crashed">/,
    );
    expect(first!.inner).toContain("repro: npx zk-chaos repro /tmp/zk-chaos-guard-test");
    expect(second!.inner).toMatch(/<skipped /);
  });
});

describe("zk-chaos run and an uncaught error", () => {
  it("aborts the run (which cleans up and keeps what it recorded), prints the verdict, exits 255 with one line", async () => {
    const { main } = await import("./program.ts");
    const before = snapshot();
    runTestCalls.length = 0;
    const { code, out, err } = await captured(async () => {
      const running = main(["run", "--workload", "register", "--nemesis", "none"]);
      // The run starts after the orphan sweep asks Docker: seconds on a busy machine.
      await vi.waitFor(() => expect(runTestCalls).toHaveLength(1), { timeout: 60_000, interval: 20 });
      added(before).unhandledRejection(new Error("ECONNRESET from a worker"));
      expect(runTestCalls[0]!.signal.aborted).toBe(true);
      return running;
    });
    expect(code).toBe(EXIT.harness);
    expect(err.match(/internal error/g)).toHaveLength(1);
    expect(err).toMatch(/^zk-chaos: internal error: ECONNRESET from a worker; healing, tearing down/m);
    expect(err).not.toMatch(/^\s+at /m);
    expect(out).toMatch(/report: /);
    for (const ev of EVENTS) expect(process.listeners(ev as never)).toEqual(before.get(ev));
  });
});
