import { fork, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { OpRequest } from "../../workloads/workload.ts";
import { logger } from "../../kernel/log.ts";
import type { ClientInit, ClientPool, Completed, OnInvoked } from "./client-pool.ts";
import type { FromWorker, ToWorker, WorkerInit } from "./protocol.ts";

const log = logger("workers");
const WORKER_MAIN = join(dirname(fileURLToPath(import.meta.url)), "worker-main.ts");
// By path: `--import tsx` would be resolved from the working directory, which may not see our node_modules.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

class Worker {
  readonly child: ChildProcess;
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { onInvoked: OnInvoked; resolve: (c: Completed) => void; reject: (e: Error) => void; invokeTime: number }
  >();
  private readonly waiters = new Map<string, (m: FromWorker) => void>();
  session = "";
  paused = false;
  exited = false;
  /** "worker N exited (SIGKILL)", once it has. */
  private exitReason = "";

  constructor(readonly slot: number) {
    this.child = fork(WORKER_MAIN, [], {
      execArgv: ["--import", TSX],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
    });
    this.child.stderr?.on("data", (d: Buffer) =>
      log.warn({ slot, stderr: d.toString("utf8").trim() }, "worker stderr"),
    );
    this.child.on("message", (m: FromWorker) => this.onMessage(m));
    // A send to a worker that is gone emits "error": logged here, the exit below tells the callers.
    this.child.on("error", (err) => log.warn({ slot, err: String(err) }, "worker channel error"));
    this.child.on("exit", (code, signal) => {
      this.exited = true;
      log.info({ slot, code, signal }, "worker exited");
      this.waiters.get("closed")?.({ type: "closed" });
      // Ops in flight (and requests waiting for an answer) fail now instead of waiting forever.
      const why = `worker ${slot} exited (${signal ?? `code ${String(code)}`})`;
      this.exitReason = why;
      for (const p of this.pending.values()) p.reject(new Error(`${why} with an op in flight`));
      this.pending.clear();
      if (this.waiters.has("ready") || this.waiters.has("setup-done"))
        this.onMessage({ type: "fatal", error: why });
    });
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
      p?.resolve({ invokeTime: p.invokeTime, time: m.time, outcome: m.outcome, session: m.session });
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
      this.pending.set(id, { onInvoked, resolve, reject, invokeTime: -1 });
      this.child.send({ type: "invoke", id, process, op } satisfies ToWorker);
    });
  }
}

/** The client processes of a run: a client pause is a real SIGSTOP / SIGCONT of a process with a session. */
export class WorkerPool implements ClientPool {
  private readonly workers: Worker[];

  constructor(clients: number) {
    this.workers = Array.from({ length: clients }, (_, slot) => new Worker(slot));
  }

  get slots(): number[] {
    return this.workers.map((w) => w.slot);
  }

  private worker(slot: number): Worker {
    const w = this.workers[slot];
    if (!w) throw new RangeError(`no client slot ${slot}`);
    return w;
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
    await Promise.all(
      this.workers.map(async (w) => {
        const connectString = connectStringFor?.(w.slot) ?? base.connectString;
        const init: WorkerInit = { type: "init", slot: w.slot, ...base, connectString };
        const m = await w.request(init, "ready", timeoutMs);
        if (m.type === "fatal")
          throw new Error(`worker ${w.slot} failed to start: ${m.error.split("\n")[0]}`);
      }),
    );
  }

  async setup(timeoutMs = 60_000): Promise<void> {
    const m = await this.worker(0).request({ type: "setup" }, "setup-done", timeoutMs);
    if (m.type === "setup-done" && m.error) throw new Error(`workload setup failed: ${m.error}`);
  }

  invoke(slot: number, process: number, op: OpRequest, onInvoked: OnInvoked): Promise<Completed> {
    return this.worker(slot).invoke(process, op, onInvoked);
  }

  session(slot: number): string {
    return this.worker(slot).session;
  }

  pid(slot: number): number | undefined {
    return this.worker(slot).child.pid;
  }

  async pause(slot: number): Promise<void> {
    const w = this.worker(slot);
    if (w.child.pid && !w.exited) process.kill(w.child.pid, "SIGSTOP");
    w.paused = true;
  }

  async resume(slot: number): Promise<void> {
    const w = this.worker(slot);
    if (w.child.pid && !w.exited) process.kill(w.child.pid, "SIGCONT");
    w.paused = false;
  }

  /** Resume everything paused, ask each worker to close its session, kill what does not exit in time. */
  async close(timeoutMs = 5000): Promise<void> {
    await Promise.all(
      this.workers.map(async (w) => {
        if (w.exited) return;
        if (w.paused) await this.resume(w.slot);
        try {
          await w.request({ type: "close" }, "closed", timeoutMs);
        } catch {
          w.child.kill("SIGKILL");
        }
      }),
    );
  }

  /** Kill every worker at once (harness crash path). */
  killAll(): void {
    for (const w of this.workers) if (!w.exited) w.child.kill("SIGKILL");
  }
}
