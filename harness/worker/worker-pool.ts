import { fork, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { OpRequest } from "../../workloads/workload.ts";
import { logger } from "../../kernel/log.ts";
import type { ClientCrash } from "../../kernel/op.ts";
import type { ClientInit, ClientPool, Completed, OnInvoked } from "./client-pool.ts";
import type { FromWorker, ToWorker, WorkerInit } from "./protocol.ts";

const log = logger("workers");
const WORKER_MAIN = join(dirname(fileURLToPath(import.meta.url)), "worker-main.ts");
// By path: `--import tsx` would be resolved from the working directory, which may not see our node_modules.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** A slot whose client crashes this many times with no ok op in between stops for the rest of the run. */
export const CRASHES_IN_A_ROW = 3;
const STDERR_LINES = 20;
const STDERR_LINE_CHARS = 1000;

/** The last lines of a stream, bounded in count and length. */
export class Tail {
  private readonly kept: string[] = [];
  private partial = "";

  constructor(private readonly max = STDERR_LINES) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split("\n");
    this.partial = parts.pop()!.slice(0, STDERR_LINE_CHARS);
    for (const line of parts) {
      if (line.trim() === "") continue;
      this.kept.push(line.length > STDERR_LINE_CHARS ? `${line.slice(0, STDERR_LINE_CHARS)}…` : line);
      if (this.kept.length > this.max) this.kept.shift();
    }
  }

  lines(): string[] {
    return (this.partial.trim() ? [...this.kept, this.partial] : [...this.kept]).slice(-this.max);
  }
}

/** How a worker process ended. */
interface WorkerExit {
  code: number | null;
  signal: string | null;
  stderr: string[];
}

interface Pending {
  onInvoked: OnInvoked;
  resolve: (c: Completed) => void;
  reject: (e: Error) => void;
  invokeTime: number;
  /** When the harness sent it: the invoke time if the worker died before it said. */
  sentTime: number;
}

interface WorkerHooks {
  now(): number;
  /** It exited on its own after it was ready; returns the crash to record. */
  crashed(exit: WorkerExit, inFlight: boolean): ClientCrash;
}

const crashWords = (c: ClientCrash): string =>
  c.error ?? `client crashed (${c.signal ?? `exit code ${String(c.code)}`})`;

class Worker {
  readonly child: ChildProcess;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly waiters = new Map<string, (m: FromWorker) => void>();
  readonly stderr = new Tail();
  session = "";
  paused = false;
  exited = false;
  /** Connected and given ops: an exit of its own from here on is a crash (before, a failed start). */
  ready = false;
  /** The harness killed it or asked it to close: its exit is no crash. */
  ending = false;
  exit: WorkerExit | null = null;
  /** Resolves once it has exited and its stderr is read to the end. */
  readonly gone: Promise<void>;
  /** "worker N exited (SIGKILL)", once it has. */
  private exitReason = "";

  constructor(
    readonly slot: number,
    private readonly hooks: WorkerHooks,
  ) {
    this.child = fork(WORKER_MAIN, [], {
      execArgv: ["--import", TSX],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
    });
    this.child.stderr?.on("data", (d: Buffer) => {
      const text = d.toString("utf8");
      this.stderr.push(text);
      log.warn({ slot, stderr: text.trim() }, "worker stderr");
    });
    this.child.on("message", (m: FromWorker) => this.onMessage(m));
    // A send to a worker that is gone emits "error": logged here, the exit below tells the callers.
    this.child.on("error", (err) => log.warn({ slot, err: String(err) }, "worker channel error"));
    this.child.on("exit", () => (this.exited = true));
    // "close", not "exit": by then its stderr has been read to the end.
    this.gone = new Promise((resolve) =>
      this.child.on("close", (code, signal) => {
        this.onClose(code, signal);
        resolve();
      }),
    );
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    this.exit = { code, signal, stderr: this.stderr.lines() };
    log.info({ slot: this.slot, code, signal, expected: this.ending }, "worker exited");
    this.waiters.get("closed")?.({ type: "closed" });
    const why = `worker ${this.slot} exited (${signal ?? `code ${String(code)}`})`;
    this.exitReason = why;
    const inFlight = [...this.pending.values()];
    this.pending.clear();
    if (this.waiters.has("ready") || this.waiters.has("setup-done"))
      this.onMessage({ type: "fatal", error: why });
    if (this.ready && !this.ending) {
      // A client that dies is an outcome: the op it had in flight may or may not have happened.
      const crash = this.hooks.crashed(this.exit, inFlight.length > 0);
      for (const p of inFlight) {
        if (p.invokeTime < 0) {
          p.invokeTime = p.sentTime;
          p.onInvoked(p.sentTime);
        }
        p.resolve({
          invokeTime: p.invokeTime,
          time: Math.max(crash.time, p.invokeTime),
          outcome: { type: "info", error: crashWords(crash) },
          session: this.session,
          crash,
        });
      }
      return;
    }
    // Ops in flight (and requests waiting for an answer) fail now instead of waiting forever.
    for (const p of inFlight) p.reject(new Error(`${why} with an op in flight`));
  }

  private onMessage(m: FromWorker): void {
    if (m.type === "invoked") {
      const p = this.pending.get(m.id);
      if (p) {
        p.invokeTime = m.time;
        p.onInvoked(m.time);
      }
    } else if (m.type === "completed") {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      this.session = m.session || this.session;
      p?.resolve({
        invokeTime: p.invokeTime,
        time: m.time,
        outcome: m.outcome,
        session: m.session,
        ...(m.node ? { node: m.node } : {}),
        ...(m.zxid ? { zxid: m.zxid } : {}),
        ...(m.zxidPath !== undefined ? { zxidPath: m.zxidPath } : {}),
      });
    } else if (m.type === "fatal") {
      log.error({ slot: this.slot, error: m.error }, "worker failed");
      this.waiters.get("ready")?.(m);
      this.waiters.get("setup-done")?.({ type: "setup-done", error: m.error });
    } else {
      if (m.type === "ready") this.session = m.session;
      this.waiters.get(m.type)?.(m);
    }
  }

  request(msg: ToWorker, reply: FromWorker["type"], timeoutMs: number): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(reply);
        reject(new Error(`worker ${this.slot}: no ${reply} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(reply, (m) => {
        clearTimeout(timer);
        this.waiters.delete(reply);
        resolve(m);
      });
      this.child.send(msg);
    });
  }

  invoke(process: number, op: OpRequest, onInvoked: OnInvoked): Promise<Completed> {
    const id = this.nextId++;
    // Died between ops: the next op says how, as one in flight would.
    if (this.exited) return Promise.reject(new Error(this.exitReason || `worker ${this.slot} exited`));
    return new Promise((resolve, reject) => {
      this.pending.set(id, { onInvoked, resolve, reject, invokeTime: -1, sentTime: this.hooks.now() });
      this.child.send({ type: "invoke", id, process, op } satisfies ToWorker);
    });
  }

  /** The harness's own kill: not a crash. */
  kill(): void {
    if (this.exited) return;
    this.ending = true;
    this.child.kill("SIGKILL");
  }
}

/** One client slot: its current worker and its crashes. */
interface Slot {
  readonly slot: number;
  worker: Worker;
  /** A replacement for a crashed worker on its way (resolved when none is). */
  starting: Promise<void>;
  /** Crashes no op in flight could carry: each fails the slot's next op, unrun. */
  readonly untold: ClientCrash[];
  inARow: number;
  retired: boolean;
}

/**
 * The client processes of a run: a client pause is a real SIGSTOP / SIGCONT of a process with a session.
 * A worker that dies on its own is an outcome, as Jepsen reopens a client that threw: its op in flight
 * ends `info` with the crash, a fresh worker (a new session, the same client module and init) takes the
 * slot, and after CRASHES_IN_A_ROW crashes with no ok op in between the slot stops; the run goes on.
 */
export class WorkerPool implements ClientPool {
  private readonly state: Slot[];
  private readonly inits: WorkerInit[] = [];
  private initTimeoutMs = 60_000;
  private origin = process.hrtime.bigint();
  private closing = false;
  /** Every crash so far, in order. */
  readonly crashes: ClientCrash[] = [];

  constructor(clients: number) {
    this.state = Array.from({ length: clients }, (_, slot) => ({
      slot,
      worker: this.spawn(slot),
      starting: Promise.resolve(),
      untold: [],
      inARow: 0,
      retired: false,
    }));
  }

  get slots(): number[] {
    return this.state.map((s) => s.slot);
  }

  private at(slot: number): Slot {
    const s = this.state[slot];
    if (!s) throw new RangeError(`no client slot ${slot}`);
    return s;
  }

  private readonly now = (): number => Number(process.hrtime.bigint() - this.origin);

  private spawn(slot: number): Worker {
    return new Worker(slot, {
      now: this.now,
      crashed: (exit, inFlight) => {
        const s = this.at(slot);
        const crash = this.crashed(s, exit);
        if (!inFlight) s.untold.push(crash);
        if (!crash.retired && !this.closing) s.starting = this.restart(s);
        return crash;
      },
    });
  }

  private crashed(s: Slot, exit: WorkerExit, error?: string): ClientCrash {
    s.inARow++;
    const retired = s.inARow >= CRASHES_IN_A_ROW;
    const crash: ClientCrash = {
      slot: s.slot,
      time: this.now(),
      code: exit.code,
      signal: exit.signal,
      stderr: exit.stderr,
      ...(error !== undefined ? { error } : {}),
      inARow: s.inARow,
      retired,
    };
    this.crashes.push(crash);
    log.warn(
      { slot: s.slot, code: exit.code, signal: exit.signal, error, inARow: s.inARow, stderr: exit.stderr },
      "client crashed",
    );
    if (retired) {
      s.retired = true;
      log.error({ slot: s.slot, crashes: s.inARow }, "client slot retired: it crashed again and again");
    }
    return crash;
  }

  /** Fresh workers for a crashed slot until one starts; each that does not is a crash in a row too. */
  private async restart(s: Slot): Promise<void> {
    for (;;) {
      const w = this.spawn(s.slot);
      s.worker = w;
      try {
        await this.start(w, this.inits[s.slot]!, this.initTimeoutMs);
        log.info({ slot: s.slot, session: w.session }, "client restarted");
        return;
      } catch (err) {
        w.kill();
        await w.gone;
        if (this.closing) return;
        // Its own exit keeps its code; one the harness ended (a start that timed out) has none.
        const ended = w.exit && !w.ending ? w.exit : { code: null, signal: null, stderr: w.stderr.lines() };
        const why = `client did not restart: ${err instanceof Error ? err.message : String(err)}`;
        s.untold.push(this.crashed(s, ended, why));
        if (s.retired) return;
      }
    }
  }

  private async start(w: Worker, init: WorkerInit, timeoutMs: number): Promise<void> {
    const m = await w.request(init, "ready", timeoutMs);
    if (m.type === "fatal") throw new Error(`worker ${w.slot} failed to start: ${m.error.split("\n")[0]}`);
    w.ready = true;
  }

  /**
   * Start every worker's session; resolves when all are connected. `connectStringFor` gives a slot its own
   * connect string (its own proxied links) instead of the shared one.
   */
  async init(
    base: ClientInit,
    timeoutMs = 60_000,
    connectStringFor?: (slot: number) => string,
  ): Promise<void> {
    this.origin = BigInt(base.origin);
    this.initTimeoutMs = timeoutMs;
    await Promise.all(
      this.state.map(async ({ slot, worker }) => {
        const connectString = connectStringFor?.(slot) ?? base.connectString;
        this.inits[slot] = { type: "init", slot, ...base, connectString };
        await this.start(worker, this.inits[slot], timeoutMs);
      }),
    );
  }

  async setup(timeoutMs = 60_000): Promise<void> {
    const m = await this.at(0).worker.request({ type: "setup" }, "setup-done", timeoutMs);
    if (m.type === "setup-done" && m.error) throw new Error(`workload setup failed: ${m.error}`);
  }

  async invoke(slot: number, process: number, op: OpRequest, onInvoked: OnInvoked): Promise<Completed> {
    const s = this.at(slot);
    for (;;) {
      await s.starting;
      const crash = s.untold.shift();
      if (crash) return this.unrun(crash, onInvoked);
      if (s.retired) throw new Error(`client slot ${slot} was retired after ${s.inARow} crashes in a row`);
      const w = s.worker;
      // Gone on its own but not yet told: its crash is being recorded and a replacement started.
      if (w.exited && w.ready && !w.ending) {
        await w.gone;
        continue;
      }
      const done = await w.invoke(process, op, onInvoked);
      if (done.outcome.type === "ok" && !done.crash) s.inARow = 0;
      return done;
    }
  }

  /** The client crashed between ops: this op was never run, so it certainly did not happen. */
  private unrun(crash: ClientCrash, onInvoked: OnInvoked): Completed {
    const time = this.now();
    onInvoked(time);
    const error = `${crashWords(crash)} before this op; not run`;
    return { invokeTime: time, time, outcome: { type: "fail", error }, session: "", crash };
  }

  session(slot: number): string {
    return this.at(slot).worker.session;
  }

  pid(slot: number): number | undefined {
    const w = this.at(slot).worker;
    return w.exited ? undefined : w.child.pid;
  }

  async pause(slot: number): Promise<void> {
    const w = this.at(slot).worker;
    if (w.child.pid && !w.exited) process.kill(w.child.pid, "SIGSTOP");
    w.paused = true;
  }

  async resume(slot: number): Promise<void> {
    const w = this.at(slot).worker;
    if (w.child.pid && !w.exited) process.kill(w.child.pid, "SIGCONT");
    w.paused = false;
  }

  /** Resume everything paused, ask each worker to close its session, kill what does not exit in time. */
  async close(timeoutMs = 5000): Promise<void> {
    this.closing = true;
    // A replacement still starting is stopped; its restart ends on `closing`.
    for (const s of this.state) if (!s.worker.ready) s.worker.kill();
    await Promise.all(this.state.map((s) => s.starting));
    await Promise.all(
      this.state.map(async ({ worker: w }) => {
        if (w.exited) return;
        if (w.paused) await this.resume(w.slot);
        w.ending = true;
        try {
          await w.request({ type: "close" }, "closed", timeoutMs);
        } catch {
          w.kill();
        }
      }),
    );
    for (const s of this.state)
      if (s.untold.length)
        log.warn({ slot: s.slot, crashes: s.untold }, "client crashes no later op recorded");
  }

  /** Kill every worker at once (harness crash path). */
  killAll(): void {
    this.closing = true;
    for (const s of this.state) s.worker.kill();
  }
}
