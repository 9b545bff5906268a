import type { Cluster, Killable, Pausable } from "../harness/cluster/cluster.ts";
import type { LinkControl } from "../harness/cluster/link-control.ts";
import { ToxiproxyLinks } from "./toxiproxy-links.ts";
import type { StartedZooKeeperEnsemble } from "./zookeeper-ensemble.ts";

/** The ensemble as the nemesis sees it: cluster actions plus per-link faults through its proxy. */
export function chaosCluster(
  ensemble: StartedZooKeeperEnsemble,
): Cluster & Killable & Pausable & LinkControl {
  if (!ensemble.proxyApiUrl) throw new Error("the ensemble was started without proxies");
  const links = new ToxiproxyLinks(ensemble.proxyApiUrl);
  return {
    runId: ensemble.runId,
    nodes: ensemble.nodes,
    clientSlots: ensemble.clientSlots,
    clientEndpoint: (n) => ensemble.clientEndpoint(n),
    connectString: (ns) => ensemble.connectString(ns),
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
  };
}
