/**
 * What the harness's containers may do, read from `docker inspect` of a running proxied ensemble (as a run
 * starts it, client slots included): none is privileged, none gets a capability beyond NET_ADMIN — and no
 * container needs even that (partitions and latency go through the proxy) — none shares the host's network,
 * pid or ipc namespace, mounts the Docker socket or drops its security profile, and every published port
 * binds 127.0.0.1 only. Each container is on its run's own network alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker } from "./engine.ts";
import { ensureImages } from "./images.ts";
import { RUN_LABEL } from "./versions.ts";
import { ZooKeeperEnsemble, type StartedZooKeeperEnsemble } from "./zookeeper-ensemble.ts";
import type Docker from "dockerode";

/** Containers that need NET_ADMIN (none: iptables is not how we cut links). */
const NEEDS_NET_ADMIN: readonly string[] = [];

describe("container privileges and published ports", { tags: ["docker"] }, () => {
  let ensemble: StartedZooKeeperEnsemble;
  let inspected: Docker.ContainerInspectInfo[] = [];

  beforeAll(async () => {
    const images = await ensureImages();
    ensemble = await new ZooKeeperEnsemble(images.zookeeper)
      .withNodes(3)
      .withProxy(images.proxy)
      .withClientSlots(2)
      .start();
    const list = await docker.listContainers({
      all: true,
      filters: { label: [`${RUN_LABEL}=${ensemble.runId}`] },
    });
    inspected = await Promise.all(list.map((c) => docker.getContainer(c.Id).inspect()));
  }, 300_000);

  afterAll(async () => {
    await ensemble?.stopAll();
  });

  it("inspects every container of the run: three servers and the proxy", () => {
    expect(inspected).toHaveLength(4);
  });

  it("no container is privileged or gets a capability beyond NET_ADMIN, and only where needed", () => {
    for (const c of inspected) {
      const h = c.HostConfig;
      expect(h.Privileged, c.Name).toBe(false);
      const caps = h.CapAdd ?? [];
      for (const cap of caps) expect(["NET_ADMIN", "CAP_NET_ADMIN"], `${c.Name} adds ${cap}`).toContain(cap);
      if (caps.length > 0) expect(NEEDS_NET_ADMIN, c.Name).toContain(c.Name.replace(/^\//, ""));
      expect(h.Devices ?? [], c.Name).toEqual([]);
    }
  });

  it("no host namespaces, no Docker socket, no unconfined security profile", () => {
    for (const c of inspected) {
      const h = c.HostConfig;
      expect(h.NetworkMode, c.Name).not.toBe("host");
      expect(h.PidMode ?? "", c.Name).not.toBe("host");
      expect(h.IpcMode ?? "", c.Name).not.toBe("host");
      expect(h.UsernsMode ?? "", c.Name).not.toBe("host");
      for (const opt of h.SecurityOpt ?? []) expect(opt, c.Name).not.toMatch(/unconfined/);
      const mounts = [...(h.Binds ?? []), ...c.Mounts.map((m) => `${m.Source}:${m.Destination}`)];
      for (const m of mounts) expect(m, c.Name).not.toMatch(/docker\.sock/);
    }
  });

  it("every published port binds 127.0.0.1, as asked and as bound", () => {
    let published = 0;
    for (const c of inspected) {
      for (const [port, bindings] of Object.entries(c.HostConfig.PortBindings ?? {}))
        for (const b of (bindings as { HostIp: string }[] | null) ?? []) {
          published++;
          expect(b.HostIp, `${c.Name} ${port}`).toBe("127.0.0.1");
        }
      for (const [port, bindings] of Object.entries(c.NetworkSettings.Ports ?? {}))
        for (const b of bindings ?? []) expect(b.HostIp, `${c.Name} ${port}`).toBe("127.0.0.1");
    }
    // servers: a client port each; proxy: API + a client link per server + one per server and slot
    expect(published).toBe(3 + 1 + 3 + 2 * 3);
  });

  it("the run's network is its own bridge, labelled", async () => {
    const nets = await docker.listNetworks({ filters: { label: [`${RUN_LABEL}=${ensemble.runId}`] } });
    expect(nets).toHaveLength(1);
    expect(nets[0]!.Driver).toBe("bridge");
  });

  it("every container is on the run's network alone, not on Docker's default bridge other runs share", () => {
    const network = `zk-chaos-${ensemble.runId}`;
    for (const c of inspected) {
      expect(c.HostConfig.NetworkMode, c.Name).toBe(network);
      expect(Object.keys(c.NetworkSettings.Networks), c.Name).toEqual([network]);
    }
  });
});
