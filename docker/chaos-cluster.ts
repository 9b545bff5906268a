import type { ClusterProvider, Killable, Pausable, RunCluster } from "../kernel/cluster.ts";
import type { LinkControl } from "../kernel/link-control.ts";
import { DEFAULT_ZK_VERSION } from "../kernel/zk-version.ts";
import { ensureImages, type Images } from "./images.ts";
import { ToxiproxyLinks } from "./toxiproxy-links.ts";
import { ZooKeeperEnsemble, type StartedZooKeeperEnsemble } from "./zookeeper-ensemble.ts";

/** The ensemble as a run sees it: cluster actions, per-link faults through its proxy, per-client links. */
export function chaosCluster(
  ensemble: StartedZooKeeperEnsemble,
): RunCluster & Killable & Pausable & LinkControl {
  if (!ensemble.proxyApiUrl) throw new Error("the ensemble was started without proxies");
  const links = new ToxiproxyLinks(ensemble.proxyApiUrl);
  return {
    runId: ensemble.runId,
    nodes: ensemble.nodes,
    observers: ensemble.observers,
    clientSlots: ensemble.clientSlots,
    clientEndpoint: (n) => ensemble.clientEndpoint(n),
    connectString: (ns) => ensemble.connectString(ns),
    clientConnectString: (slot) => ensemble.clientConnectString(slot),
    mode: (n) => ensemble.mode(n),
    leader: () => ensemble.leader(),
    waitForQuorum: (o) => ensemble.waitForQuorum(o),
    kill: (n) => ensemble.kill(n),
    start: (n) => ensemble.start(n),
    stop: (n) => ensemble.stop(n),
    pause: (n) => ensemble.pause(n),
    unpause: (n) => ensemble.unpause(n),
    cut: (ls, mode) => links.cut(ls, mode),
    slow: (ls, ms, jitter) => links.slow(ls, ms, jitter),
    heal: (ls) => links.heal(ls),
    serverVersion: () => ensemble.serverVersion(),
    collectLogs: (dir) => ensemble.collectLogs(dir),
    close: () => ensemble.stopAll(),
  };
}

/** Ensembles in containers, every link proxied: images pulled or built from Debian packages first. */
export const dockerClusters: ClusterProvider<Images> = {
  prepare: (spec) =>
    ensureImages({
      ...(spec.zkVersion ? { zkVersion: spec.zkVersion } : {}),
      ...(spec.zkImage ? { zkImage: spec.zkImage } : {}),
      ...(spec.proxyImage ? { proxyImage: spec.proxyImage } : {}),
    }),
  async start(spec, { zookeeper, proxy }) {
    const ensemble = await new ZooKeeperEnsemble(zookeeper)
      .withNodes(spec.nodes)
      .withObservers(spec.observers ?? 0)
      .withVersion(spec.zkVersion ?? DEFAULT_ZK_VERSION)
      .withTickTime(spec.tickTimeMs)
      .withProxy(proxy)
      .withClientSlots(spec.clientSlots)
      .start();
    return chaosCluster(ensemble);
  },
};
