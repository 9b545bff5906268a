import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient, type ZkClient } from "../workloads/zk/index.ts";
import { docker } from "../docker/engine.ts";
import { ensureZooKeeperImage } from "../docker/images.ts";
import { RUN_LABEL } from "../docker/versions.ts";
import { ZooKeeperEnsemble, type StartedZooKeeperEnsemble } from "../docker/zookeeper-ensemble.ts";
import { eventually } from "./testing/eventually.ts";

const opened: ZkClient[] = [];
async function connect(ensemble: StartedZooKeeperEnsemble, nodes?: string[]): Promise<ZkClient> {
  const c = await createClient("zookeeper", {
    connectString: ensemble.connectString(nodes),
    sessionTimeoutMs: 6000,
    opTimeoutMs: 4000,
  });
  opened.push(c);
  return c;
}

async function labelled(runId?: string): Promise<number> {
  const label = runId ? `${RUN_LABEL}=${runId}` : RUN_LABEL;
  const containers = await docker.listContainers({ all: true, filters: { label: [label] } });
  const networks = await docker.listNetworks({ filters: { label: [label] } });
  return containers.length + networks.length;
}

let image = "";
beforeAll(async () => {
  image = await ensureZooKeeperImage();
}, 300_000);

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
});

describe("a 3-node ensemble", { tags: ["docker"] }, () => {
  let ensemble: StartedZooKeeperEnsemble;
  beforeAll(async () => {
    ensemble = await new ZooKeeperEnsemble(image).withNodes(3).start();
  }, 120_000);
  afterAll(async () => {
    await ensemble?.stopAll();
    expect(await labelled(ensemble.runId)).toBe(0);
  });
  // A test that failed with a server killed or paused must not fail the next one too.
  beforeEach(async () => {
    await ensemble.restore();
  }, 120_000);

  it("forms a quorum with one leader, and a znode written through one server reads through every other after sync", async () => {
    const modes = Object.values(await ensemble.modes()).sort();
    expect(modes).toEqual(["follower", "follower", "leader"]);
    const writer = await connect(ensemble, ["zk1"]);
    const path = `/foundation-${Date.now()}`;
    await writer.create(path, Buffer.from("hello"), "persistent");
    for (const node of ["zk2", "zk3"]) {
      const reader = await connect(ensemble, [node]);
      await reader.sync(path);
      expect((await reader.getData(path)).data?.toString()).toBe("hello");
    }
  });

  it("publishes client ports on 127.0.0.1 only and labels every container", async () => {
    const containers = await docker.listContainers({
      filters: { label: [`${RUN_LABEL}=${ensemble.runId}`] },
    });
    expect(containers).toHaveLength(3);
    for (const c of containers) {
      const published = c.Ports.filter((p) => p.PublicPort);
      expect(published.length).toBeGreaterThan(0);
      for (const p of published) expect(p.IP).toBe("127.0.0.1");
    }
  });

  it("elects a new leader when the leader is killed; writes continue; the old leader rejoins as a follower", async () => {
    const old = (await ensemble.leader())!;
    expect(old).toBeTruthy();
    await ensemble.kill(old);
    const rest = ensemble.nodes.filter((n) => n !== old);
    const path = `/after-kill-${Date.now()}`;
    try {
      expect(await ensemble.isRunning(old)).toBe(false);
      const next = await ensemble.waitForQuorum({ nodes: rest, timeoutMs: 30_000 });
      expect(next).not.toBe(old);
      const client = await connect(ensemble, rest);
      await eventually(() => client.create(path, Buffer.from("x"), "persistent"), 20_000);
    } finally {
      await ensemble.start(old);
    }
    await ensemble.waitForQuorum({ timeoutMs: 30_000 });
    expect(await ensemble.mode(old)).toBe("follower");
    const onOld = await connect(ensemble, [old]);
    await onOld.sync(path);
    expect((await onOld.getData(path)).data?.toString()).toBe("x");
  });

  it("keeps taking writes with one follower paused, stops with a majority paused, and recovers on unpause", async () => {
    const leader = (await ensemble.waitForQuorum({ timeoutMs: 30_000 }))!;
    const followers = ensemble.nodes.filter((n) => n !== leader);
    const client = await connect(ensemble, [leader]);
    const base = `/pause-${Date.now()}`;
    try {
      await ensemble.pause(followers[0]!);
      await client.create(`${base}-one-paused`, null, "persistent");
      await ensemble.pause(followers[1]!);
      await expect(client.create(`${base}-majority-paused`, null, "persistent")).rejects.toThrow();
    } finally {
      await ensemble.unpause(followers[0]!).catch(() => undefined);
      await ensemble.unpause(followers[1]!).catch(() => undefined);
    }
    await ensemble.waitForQuorum({ timeoutMs: 30_000 });
    const after = await connect(ensemble);
    await eventually(() => after.create(`${base}-recovered`, null, "persistent"), 20_000);
    expect(await after.exists(`${base}-recovered`)).not.toBeNull();
  });
});

describe("a 5-node ensemble", { tags: ["docker"] }, () => {
  it("forms a quorum of one leader and four followers and is removed completely", async () => {
    const ensemble = await new ZooKeeperEnsemble(image).withNodes(5).start();
    try {
      const modes = Object.values(await ensemble.modes()).sort();
      expect(modes).toEqual(["follower", "follower", "follower", "follower", "leader"]);
      const client = await connect(ensemble, ["zk5"]);
      await client.create(`/five-${Date.now()}`, null, "persistent");
    } finally {
      await ensemble.stopAll();
    }
    expect(await labelled(ensemble.runId)).toBe(0);
  }, 120_000);
});

describe("a start that fails halfway", { tags: ["docker"] }, () => {
  it("removes the network and containers it had created", async () => {
    const runId = `zkc-failing-${Date.now()}`;
    const builder = new ZooKeeperEnsemble(image)
      .withNodes(3)
      .withRunId(runId)
      .withJvmOpts("-Xmx1k -XX:+UseSerialGC");
    await expect(builder.withStartupTimeout(15_000).start()).rejects.toThrow();
    expect(await labelled(runId)).toBe(0);
  }, 60_000);
});
