/**
 * Observers on a real ensemble (seed 002): they serve clients and get every commit, but neither vote nor
 * count to a quorum; a client on an observer reads stale data unless it syncs first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureImages } from "../docker/images.ts";
import { ToxiproxyLinks } from "../docker/toxiproxy-links.ts";
import { ZooKeeperEnsemble, type StartedZooKeeperEnsemble } from "../docker/zookeeper-ensemble.ts";
import { linksBetween } from "../kernel/links.ts";
import { createClient, type ZkClient } from "../workloads/zk/index.ts";

describe("an ensemble of 3 voters and 1 observer", { tags: ["docker"] }, () => {
  let ensemble: StartedZooKeeperEnsemble;
  const opened: ZkClient[] = [];
  const connect = async (nodes: string[]) => {
    const c = await createClient("zookeeper", {
      connectString: ensemble.connectString(nodes),
      sessionTimeoutMs: 6000,
      opTimeoutMs: 8000,
    });
    opened.push(c);
    return c;
  };

  beforeAll(async () => {
    const images = await ensureImages();
    ensemble = await new ZooKeeperEnsemble(images.zookeeper).withProxy(images.proxy).withObservers(1).start();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
    await ensemble?.stopAll();
  }, 60_000);

  it("the observer answers as one; the quorum is the voters'", async () => {
    expect(ensemble.nodes).toEqual(["zk1", "zk2", "zk3"]);
    expect(ensemble.observers).toEqual(["zk4"]);
    expect(await ensemble.mode("zk4")).toBe("observer");
    const leader = await ensemble.waitForQuorum();
    expect(ensemble.nodes).toContain(leader);
    expect(ensemble.connectString().split(",")).toHaveLength(4);
  });

  it("a read on the observer is stale while commits reach it late; sync then read is not", async () => {
    const leader = (await ensemble.leader())!;
    const writer = await connect([leader]);
    const reader = await connect(["zk4"]);
    await writer.create("/observed", Buffer.from("1"));
    await reader.sync("/observed");
    expect((await reader.getData("/observed")).data.toString()).toBe("1");
    const links = new ToxiproxyLinks(ensemble.proxyApiUrl!);
    const toObserver = linksBetween(leader, "zk4").filter((l) => l.port === "quorum");
    try {
      // The leader's commits reach the observer 0.6 s late; the voters' quorum acknowledges without it.
      await links.slow(toObserver, 600, 0);
      await writer.setData("/observed", Buffer.from("2"));
      expect((await reader.getData("/observed")).data.toString()).toBe("1");
      await reader.sync("/observed");
      expect((await reader.getData("/observed")).data.toString()).toBe("2");
    } finally {
      await links.heal(toObserver);
    }
  });
});
