/**
 * Test helper: a ClientPool that runs the workload's own client code in this process, each slot a
 * FakeWorker with its session on one in-memory FakeEnsemble (workloads/zk/testing). A client pause holds
 * the slot's next op until it is resumed and expires its session meanwhile, as a pause past the session
 * timeout does; the client learns of it on its next call to ZooKeeper.
 */
import { outcomeOf } from "../../../workloads/zk/classify.ts";
import { FakeEnsemble, FakeWorker } from "../../../workloads/zk/testing/fake-zk.ts";
import type { OpRequest } from "../../../workloads/workload.ts";
import { httpResourceClient } from "../../resource/resource-client.ts";
import type { ClientInit, ClientPool, Completed, OnInvoked } from "../../worker/client-pool.ts";
import { loadClientFactory } from "../../worker/client-module.ts";

export class InProcessClients implements ClientPool {
  readonly ensemble = new FakeEnsemble();
  readonly slots: number[];
  private workers: FakeWorker[] = [];
  private readonly paused = new Map<number, Promise<void>>();
  private readonly resumers = new Map<number, () => void>();
  private base: ClientInit | null = null;
  /** close() ran (the run ended normally) / killAll() ran (the scope was released). */
  closed = false;
  killed = false;
  /** Ops invoked per slot. */
  readonly invoked: number[];

  constructor(clients: number) {
    this.slots = Array.from({ length: clients }, (_, i) => i);
    this.invoked = this.slots.map(() => 0);
  }

  async init(base: ClientInit): Promise<void> {
    this.base = base;
    const factory = await loadClientFactory(base.clientModule);
    const resource = httpResourceClient(base.resourceUrl);
    const multi = base.driver === "node-zookeeper-client";
    this.workers = this.slots.map(
      (slot) =>
        new FakeWorker(this.ensemble, slot, resource, base.variant, factory(base.variant, base.options), {
          multi,
          options: base.options,
        }),
    );
  }

  async setup(): Promise<void> {
    const w = this.worker(0);
    await w.client.setup?.(w.ctx);
  }

  session(slot: number): string {
    return this.worker(slot).zk.sessionId;
  }

  async invoke(slot: number, process: number, op: OpRequest, onInvoked: OnInvoked): Promise<Completed> {
    const w = this.worker(slot);
    await this.paused.get(slot);
    // As a worker process does: a new session before the next op once the client knows its session expired.
    if (w.zk.state === "expired") await w.ctx.reconnect();
    w.process = process;
    this.invoked[slot]!++;
    const invokeTime = this.now();
    onInvoked(invokeTime);
    const kind = this.base!.reads.includes(op.f) ? "read" : "write";
    const outcome = await outcomeOf(() => w.client.invoke(w.ctx, op), kind);
    return { invokeTime, time: this.now(), outcome, session: w.zk.sessionId };
  }

  async pause(slot: number): Promise<void> {
    if (this.paused.has(slot)) return;
    this.worker(slot).zk.expireSilently();
    this.paused.set(slot, new Promise((resolve) => this.resumers.set(slot, resolve)));
  }

  async resume(slot: number): Promise<void> {
    this.resumers.get(slot)?.();
    this.resumers.delete(slot);
    this.paused.delete(slot);
  }

  async close(): Promise<void> {
    for (const slot of this.slots) await this.resume(slot);
    for (const w of this.workers) {
      await w.client.close?.(w.ctx).catch(() => undefined);
      await w.zk.close();
    }
    this.closed = true;
  }

  killAll(): void {
    for (const slot of this.slots) void this.resume(slot);
    this.killed = true;
  }

  private worker(slot: number): FakeWorker {
    const w = this.workers[slot];
    if (!w) throw new RangeError(`no client slot ${slot}`);
    return w;
  }

  private now(): number {
    return Number(process.hrtime.bigint() - BigInt(this.base!.origin));
  }
}
