/**
 * Test helper: a ClusterProvider over the nemesis tests' FakeCluster, so runTest runs end to end with no
 * container. It remembers every cluster it started, whether it was closed, and what is still cut, paused
 * or killed, so a test can see that a run left nothing behind.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterProvider, ClusterSpec, RunCluster } from "../../../kernel/cluster.ts";
import { FakeCluster } from "../../nemesis/testing/fake-cluster.ts";

export class StartedFakeCluster extends FakeCluster implements RunCluster {
  closed = false;

  constructor(readonly spec: ClusterSpec) {
    super(spec.nodes);
    this.clientSlots = spec.clientSlots;
  }

  clientConnectString(slot: number): string {
    return `fake-slot-${slot}:2181`;
  }

  async collectLogs(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    for (const node of this.nodes) writeFileSync(join(dir, `${node}.log`), `${node}: fake server\n`);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Faults still in place: cut or slowed links, paused or killed servers. */
  get faultsLeft(): number {
    return this.cuts.size + this.slowed.size + this.paused.size + this.killed.size;
  }
}

export class FakeClusters implements ClusterProvider<{ zookeeper: string; proxy: string }> {
  readonly started: StartedFakeCluster[] = [];
  /** Make `start` fail (an engine that cannot start the ensemble). */
  failStart = false;

  async prepare(spec: ClusterSpec): Promise<{ zookeeper: string; proxy: string }> {
    return { zookeeper: spec.zkImage ?? "fake-zookeeper", proxy: spec.proxyImage ?? "fake-proxy" };
  }

  async start(spec: ClusterSpec): Promise<RunCluster> {
    if (this.failStart) throw new Error("fake: the ensemble did not start");
    const cluster = new StartedFakeCluster(spec);
    this.started.push(cluster);
    return cluster;
  }
}
