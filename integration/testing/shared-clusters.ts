/**
 * One ensemble for a test file's runs, instead of one per run: each run gets a ZooKeeper chroot of its
 * own, so no run sees another's znodes, and a run's "close" leaves the ensemble up; the next run starts
 * from a restored one (servers running, proxies reset, a quorum). `close()` removes it after the file.
 */
import { randomBytes } from "node:crypto";
import type { ClusterProvider, ClusterSpec, RunCluster } from "../../kernel/cluster.ts";
import { chaosCluster, dockerClusters } from "../../docker/chaos-cluster.ts";
import type { Images } from "../../docker/images.ts";
import { ZooKeeperEnsemble, type StartedZooKeeperEnsemble } from "../../docker/zookeeper-ensemble.ts";
import { createClient } from "../../workloads/zk/index.ts";

/** Client slots the shared ensemble is started with, so every run of a file fits. */
const SLOTS = 5;

export interface SharedClusters extends ClusterProvider<Images> {
  /** Remove the ensemble. */
  close(): Promise<void>;
}

export function sharedClusters(): SharedClusters {
  let shared: { key: string; ensemble: StartedZooKeeperEnsemble; cluster: RunCluster } | undefined;
  const keyOf = (spec: ClusterSpec): string => `${spec.nodes}/${spec.tickTimeMs}`;

  return {
    prepare: (spec) => dockerClusters.prepare(spec),
    async start(spec, images) {
      if (spec.clientSlots > SLOTS) throw new RangeError(`a shared ensemble has ${SLOTS} client slots`);
      if (shared && shared.key !== keyOf(spec)) {
        await shared.ensemble.stopAll();
        shared = undefined;
      }
      if (shared) await shared.ensemble.restore();
      else {
        const ensemble = await new ZooKeeperEnsemble(images.zookeeper)
          .withNodes(spec.nodes)
          .withTickTime(spec.tickTimeMs)
          .withProxy(images.proxy)
          .withClientSlots(SLOTS)
          .start();
        shared = { key: keyOf(spec), ensemble, cluster: chaosCluster(ensemble) };
      }
      const chroot = `/run-${randomBytes(4).toString("hex")}`;
      const admin = createClient("zookeeper", { opTimeoutMs: 10_000 });
      try {
        await admin.connect(shared.cluster.connectString(), 10_000);
        await admin.create(chroot, null, "persistent");
      } finally {
        await admin.close();
      }
      const { cluster } = shared;
      return {
        ...cluster,
        connectString: (nodes) => cluster.connectString(nodes) + chroot,
        clientConnectString: (slot) => cluster.clientConnectString(slot) + chroot,
        // The next run restores it; the file's afterAll removes it.
        close: async () => undefined,
      };
    },
    async close() {
      await shared?.ensemble.stopAll();
      shared = undefined;
    },
  };
}
