/**
 * One ensemble for a test file's runs, instead of one per run: each run gets a ZooKeeper chroot of its
 * own, so no run sees another's znodes, and a run's "close" leaves the ensemble up; the next run starts
 * from a restored one (servers running, proxies reset, a quorum). Runs without faults may run on it together
 * (it.concurrent): the first one starts it, and it is restored only between runs. `close()` removes it
 * after the file.
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
  // A promise, so that runs starting together share one start; `active` counts the runs on it.
  let shared: Promise<{ key: string; ensemble: StartedZooKeeperEnsemble; cluster: RunCluster }> | undefined;
  let active = 0;
  const keyOf = (spec: ClusterSpec): string => `${spec.nodes}/${spec.tickTimeMs}`;

  return {
    prepare: (spec) => dockerClusters.prepare(spec),
    async start(spec, images) {
      if (spec.clientSlots > SLOTS) throw new RangeError(`a shared ensemble has ${SLOTS} client slots`);
      const key = keyOf(spec);
      const current = await shared;
      if (current && current.key !== key) {
        if (active > 0) throw new Error(`the shared ensemble (${current.key}) is in use by another run`);
        await current.ensemble.stopAll();
        shared = undefined;
      }
      const fresh = shared === undefined;
      if (fresh) {
        shared = new ZooKeeperEnsemble(images.zookeeper)
          .withNodes(spec.nodes)
          .withTickTime(spec.tickTimeMs)
          .withProxy(images.proxy)
          .withClientSlots(SLOTS)
          .start()
          .then((ensemble) => ({ key, ensemble, cluster: chaosCluster(ensemble) }));
        shared.catch(() => (shared = undefined));
      }
      const { cluster, ensemble } = await shared!;
      // Restored only when no other run is on it: a run alongside another shares its (fault-free) state.
      const alone = active++ === 0;
      try {
        if (alone && !fresh) await ensemble.restore();
        const chroot = `/run-${randomBytes(4).toString("hex")}`;
        const admin = createClient("zookeeper", { opTimeoutMs: 10_000 });
        try {
          await admin.connect(cluster.connectString(), 10_000);
          await admin.create(chroot, null, "persistent");
        } finally {
          await admin.close();
        }
        let closed = false;
        return {
          ...cluster,
          connectString: (nodes) => cluster.connectString(nodes) + chroot,
          clientConnectString: (slot) => cluster.clientConnectString(slot) + chroot,
          // The next run restores it; the file's afterAll removes it.
          close: async () => {
            if (!closed) active--;
            closed = true;
          },
        };
      } catch (err) {
        active--;
        throw err;
      }
    },
    async close() {
      const s = await shared?.catch(() => undefined);
      shared = undefined;
      await s?.ensemble.stopAll();
    },
  };
}
