import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { linksOf } from "../kernel/links.ts";
import { createClient, type ZkClient } from "../workloads/zk/index.ts";
import { chaosCluster } from "../docker/chaos-cluster.ts";
import { fourLetterWord } from "../docker/four-letter-words.ts";
import { ensureImages } from "../docker/images.ts";
import { ZooKeeperEnsemble, type StartedZooKeeperEnsemble } from "../docker/zookeeper-ensemble.ts";
import { eventually } from "./testing/eventually.ts";

describe("an ensemble whose every link goes through the proxy", { tags: ["docker"] }, () => {
  let ensemble: StartedZooKeeperEnsemble;
  const clients: ZkClient[] = [];
  beforeAll(async () => {
    const images = await ensureImages();
    ensemble = await new ZooKeeperEnsemble(images.zookeeper).withNodes(3).withProxy(images.proxy).start();
  }, 300_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await ensemble?.stopAll();
  });
  // A test that failed with links cut must not fail the next one too.
  beforeEach(async () => {
    await ensemble.restore();
  }, 120_000);

  it("forms a quorum through the proxies and serves clients through each client proxy", async () => {
    expect(ensemble.proxyApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const proxies = (await (await fetch(`${ensemble.proxyApiUrl}/proxies`)).json()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(proxies)).toHaveLength(3 + 12);
    for (const node of ensemble.nodes) {
      const c = await createClient("zookeeper", {
        connectString: ensemble.connectString([node]),
        sessionTimeoutMs: 6000,
      });
      clients.push(c);
      await c.create(`/via-proxy-${node}-${Date.now()}`, Buffer.from(node), "persistent");
    }
    // The client port the test talks to is the proxy's, not the server's.
    for (const node of ensemble.nodes)
      expect(ensemble.clientEndpoint(node).port).not.toBe(ensemble.adminEndpoint(node).port);
  });

  it("elects a new leader when every link of the leader is blackholed, and takes the old one back as a follower after healing", async () => {
    const cluster = chaosCluster(ensemble);
    const old = (await ensemble.waitForQuorum({ timeoutMs: 30_000 }))!;
    const others = ensemble.nodes.filter((n) => n !== old);
    try {
      await cluster.cut(
        linksOf(old, 3).filter((l) => l.kind === "peer"),
        "blackhole",
      );
      const next = await ensemble.waitForQuorum({ nodes: others, timeoutMs: 90_000 });
      expect(next).not.toBe(old);
      // The cut-off leader steps down once it misses its followers for syncLimit ticks; until then there
      // are briefly two servers answering "leader" (only the new one can commit).
      await eventually(async () => expect(await ensemble.mode(old)).not.toBe("leader"), 60_000);
    } finally {
      await cluster.heal();
    }
    await ensemble.waitForQuorum({ timeoutMs: 90_000 });
    expect(await ensemble.mode(old)).toBe("follower");
    const e = ensemble.clientEndpoint(old);
    expect(await fourLetterWord(e.host, e.port, "ruok")).toBe("imok");
  }, 200_000);
});
