import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type Docker from "dockerode";
import { getContainerRuntimeClient, getReaper, Wait, type StartedTestContainer } from "testcontainers";
import {
  serversOf,
  type Cluster,
  type Endpoint,
  type Killable,
  type Pausable,
  type Proxied,
  type ServerMode,
} from "../kernel/cluster.ts";
import {
  allNodes,
  clientLinksOf,
  linkPort,
  MAX_CLIENT_SLOTS,
  PROXY_API_PORT,
  PROXY_HOST,
  proxyDefinitions,
  ZK_CLIENT_PORT,
  type NodeId,
} from "../kernel/links.ts";
import { logger } from "../kernel/log.ts";
import { removeLabelled, runLabels } from "./cleanup.ts";
import { LOCAL_PROXY_COMMAND } from "./images.ts";
import { ToxiproxyLinks } from "./toxiproxy-links.ts";
import { LOCAL_TOXIPROXY_REPO } from "./versions.ts";
import { DOCKER_HOST_ADDRESS } from "./docker-host.ts";
import { docker } from "./engine.ts";
import { fourLetterWord, parseMode, parseVersion } from "./four-letter-words.ts";
import { freePort } from "./free-port.ts";
import { LoopbackContainer } from "./loopback-container.ts";
import { DEFAULT_ZK_VERSION, MAX_OBSERVERS, type ZkVersion } from "../kernel/zk-version.ts";
import { flavourOf } from "./zk-flavours.ts";
import {
  DEFAULT_JVM_OPTS,
  DEFAULT_ZOO_CFG,
  LOG4J_PROPERTIES,
  LOGBACK_XML,
  startScript,
  zooCfg,
  type PeerAddress,
} from "./zoo-cfg.ts";

const log = logger("ensemble");
/** Where the local proxy image finds its proxies at start. */
const PROXY_CONFIG = "/zk-chaos-proxies.json";

/** Builder for a ZooKeeper ensemble of 3..5 real voting servers (and observers) on their own Docker network. */
export class ZooKeeperEnsemble {
  private nodes = 3;
  private observers = 0;
  private version: ZkVersion = DEFAULT_ZK_VERSION;
  private tickTime = DEFAULT_ZOO_CFG.tickTime;
  private proxyImage: string | null = null;
  private clientSlots = 0;
  private runId = `zkc-${randomBytes(4).toString("hex")}`;
  private jvmOpts = DEFAULT_JVM_OPTS;
  private startupTimeoutMs = 60_000;

  constructor(private readonly image: string) {}

  withNodes(n: number): this {
    if (!Number.isInteger(n) || n < 1 || n > 5) throw new RangeError(`nodes must be 1..5, got ${n}`);
    this.nodes = n;
    return this;
  }
  /** Observers after the voters (zkN+1…): proxied like the rest, never counted to a quorum. */
  withObservers(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > MAX_OBSERVERS)
      throw new RangeError(`observers must be 0..${MAX_OBSERVERS}, got ${n}`);
    this.observers = n;
    return this;
  }
  /** The ZooKeeper line the image is of: its config keys and classpath (docker/zk-flavours.ts). */
  withVersion(version: ZkVersion): this {
    this.version = version;
    return this;
  }
  /** ZooKeeper's tick in ms (sessions time out between 2 and 20 ticks). */
  withTickTime(ms: number): this {
    this.tickTime = ms;
    return this;
  }
  /** Route every client and peer link through a Toxiproxy-compatible proxy container of this image. */
  withProxy(image: string): this {
    this.proxyImage = image;
    return this;
  }
  /** Give each of `n` client slots proxied links of its own (needs withProxy), so one client can be cut off. */
  withClientSlots(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > MAX_CLIENT_SLOTS)
      throw new RangeError(`client slots must be 0..${MAX_CLIENT_SLOTS}, got ${n}`);
    this.clientSlots = n;
    return this;
  }
  withRunId(id: string): this {
    this.runId = id;
    return this;
  }
  withJvmOpts(opts: string): this {
    this.jvmOpts = opts;
    return this;
  }
  withStartupTimeout(ms: number): this {
    this.startupTimeoutMs = ms;
    return this;
  }

  /**
   * Start everything and wait for a quorum. On any failure, removes what it created and rethrows. Host ports
   * are picked free before Docker binds them, so another process starting an ensemble at the same moment
   * can take one first: that clash is retried with fresh ports.
   */
  async start(): Promise<StartedZooKeeperEnsemble> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startOnce();
      } catch (err) {
        if (attempt >= PORT_CLASH_ATTEMPTS || !isPortClash(err)) throw err;
        log.warn({ runId: this.runId, attempt, err: String(err) }, "host port taken meanwhile; retrying");
      }
    }
  }

  private async startOnce(): Promise<StartedZooKeeperEnsemble> {
    const runId = this.runId;
    const labels = runLabels(runId);
    const network = `zk-chaos-${runId}`;
    const total = this.nodes + this.observers;
    const names = allNodes(total);
    const flavour = flavourOf(this.version);
    const t0 = performance.now();
    try {
      // Testcontainers finds its reaper under a file lock that parallel first starts would queue on
      // (0.5-3 s retries each): find it once, before the containers start together.
      await Promise.all([
        getContainerRuntimeClient().then((client) => getReaper(client)),
        docker.createNetwork({ Name: network, Driver: "bridge", Labels: labels, CheckDuplicate: true }),
      ]);
      const clientPorts = new Map<NodeId, Endpoint>();
      const slotPorts: Map<NodeId, Endpoint>[] = [];
      let proxyApiUrl: string | null = null;
      const proxyPorts: { container: number; host: number }[] = [];
      if (this.proxyImage) {
        const apiPort = await freePort();
        proxyPorts.push({ container: PROXY_API_PORT, host: apiPort });
        for (const node of names) {
          const host = await freePort();
          proxyPorts.push({ container: linkPort({ kind: "client", to: node }), host });
          clientPorts.set(node, { host: DOCKER_HOST_ADDRESS.clientHost, port: host });
        }
        for (let slot = 0; slot < this.clientSlots; slot++) {
          const ports = new Map<NodeId, Endpoint>();
          for (const link of clientLinksOf(slot, names)) {
            const host = await freePort();
            proxyPorts.push({ container: linkPort(link), host });
            ports.set(link.to, { host: DOCKER_HOST_ADDRESS.clientHost, port: host });
          }
          slotPorts.push(ports);
        }
        proxyApiUrl = `http://${DOCKER_HOST_ADDRESS.clientHost}:${apiPort}`;
      }
      // The proxy and the servers start together: servers retry their peers until the proxies exist.
      const startProxy = async (): Promise<StartedTestContainer | null> => {
        if (!this.proxyImage) return null;
        const definitions = proxyDefinitions(total, this.clientSlots);
        const base = new LoopbackContainer(this.proxyImage)
          .withName(`${network}-proxy`)
          .withLabels(labels)
          .withNetworkByName(network, PROXY_HOST)
          .withLoopbackPorts(...proxyPorts)
          .withStartupTimeout(this.startupTimeoutMs);
        if (this.proxyImage.startsWith(`${LOCAL_TOXIPROXY_REPO}:`)) {
          // Ours loads the proxies at start (no /populate round trip after a readiness poll), and refuses
          // while an upstream is down, as the server itself would: Toxiproxy's accept-then-close resets a
          // follower that dials a leader not yet listening, and the election starts over.
          const proxy = await base
            .withCopyContentToContainer([{ content: JSON.stringify(definitions), target: PROXY_CONFIG }])
            .withCommand([...LOCAL_PROXY_COMMAND, "--config", PROXY_CONFIG, "--refuse-while-upstream-down"])
            .withWaitStrategy(Wait.forLogMessage(/toxiproxy API listening/))
            .start();
          const res = await fetch(`${proxyApiUrl}/proxies`);
          const loaded = res.ok ? Object.keys((await res.json()) as object).length : 0;
          if (loaded !== definitions.length)
            throw new Error(`the proxy loaded ${loaded} of ${definitions.length} proxies from its config`);
          return proxy;
        }
        const proxy = await base.withWaitStrategy(Wait.forHttp("/version", PROXY_API_PORT)).start();
        const res = await fetch(`${proxyApiUrl}/populate`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(definitions),
        });
        if (!res.ok) throw new Error(`proxy /populate answered ${res.status}: ${await res.text()}`);
        return proxy;
      };
      const peer = this.proxyImage
        ? (from: number, to: number): PeerAddress => ({
            host: PROXY_HOST,
            quorumPort: linkPort({ kind: "peer", from: `zk${from}`, to: `zk${to}`, port: "quorum" }),
            electionPort: linkPort({ kind: "peer", from: `zk${from}`, to: `zk${to}`, port: "election" }),
          })
        : undefined;
      const adminPorts = new Map<NodeId, Endpoint>();
      for (const node of names)
        adminPorts.set(node, { host: DOCKER_HOST_ADDRESS.clientHost, port: await freePort() });
      const startServers = Promise.all(
        names.map((node, i) => {
          const id = i + 1;
          const cfg = zooCfg(id, {
            ...DEFAULT_ZOO_CFG,
            nodes: this.nodes,
            observers: this.observers,
            flavour,
            tickTime: this.tickTime,
            ...(peer ? { peer } : {}),
          });
          return new LoopbackContainer(this.image)
            .withName(`${network}-${node}`)
            .withHostname(node)
            .withLabels(labels)
            .withNetworkByName(network, node)
            .withLoopbackPorts({ container: ZK_CLIENT_PORT, host: adminPorts.get(node)!.port })
            .withCopyContentToContainer([
              { content: cfg, target: "/conf/zoo.cfg" },
              { content: LOGBACK_XML, target: "/conf/logback.xml" },
              { content: LOG4J_PROPERTIES, target: "/conf/log4j.properties" },
              { content: startScript(id, this.jvmOpts, flavour), target: "/zk-chaos-start.sh", mode: 0o755 },
            ])
            .withEntrypoint(["/bin/sh", "/zk-chaos-start.sh"])
            .withCommand([])
            .withWaitStrategy(Wait.forLogMessage(/Reading configuration from/))
            .withStartupTimeout(this.startupTimeoutMs)
            .start();
        }),
      );
      const [proxyResult, serversResult] = await Promise.allSettled([startProxy(), startServers]);
      if (proxyResult.status === "rejected") throw proxyResult.reason;
      if (serversResult.status === "rejected") throw serversResult.reason;
      const proxy = proxyResult.value;
      const servers = serversResult.value;
      if (!this.proxyImage) for (const node of names) clientPorts.set(node, adminPorts.get(node)!);
      const started = new StartedZooKeeperEnsemble(
        runId,
        network,
        names.slice(0, this.nodes),
        new Map(names.map((n, i) => [n, docker.getContainer(servers[i]!.getId())])),
        proxy ? docker.getContainer(proxy.getId()) : null,
        clientPorts,
        adminPorts,
        proxyApiUrl,
        slotPorts,
        names.slice(this.nodes),
      );
      const containersMs = Math.round(performance.now() - t0);
      const leader = await started.waitForQuorum({ timeoutMs: this.startupTimeoutMs });
      await started.waitForObservers({ timeoutMs: this.startupTimeoutMs });
      log.info(
        {
          runId,
          nodes: this.nodes,
          observers: this.observers,
          version: this.version,
          leader,
          containersMs,
          readyMs: Math.round(performance.now() - t0),
        },
        "ensemble ready",
      );
      return started;
    } catch (err) {
      log.error({ runId, err: String(err) }, "ensemble start failed; removing what was created");
      await removeLabelled({ runId }).catch(() => undefined);
      throw err;
    }
  }
}

const PORT_CLASH_ATTEMPTS = 4;
const isPortClash = (err: unknown): boolean =>
  /port is already allocated|address already in use/i.test(String((err as Error)?.message ?? err));

/** A running ensemble: getters and actions only. Dispose (or call stop) to remove every container. */
export class StartedZooKeeperEnsemble implements Cluster, Killable, Pausable, AsyncDisposable {
  private stopped = false;
  readonly proxyApiUrl: string | undefined;

  constructor(
    readonly runId: string,
    readonly network: string,
    readonly nodes: readonly NodeId[],
    private readonly servers: Map<NodeId, Docker.Container>,
    private readonly proxyContainer: Docker.Container | null,
    private readonly clientPorts: Map<NodeId, Endpoint>,
    private readonly adminPorts: Map<NodeId, Endpoint>,
    proxyApiUrl: string | null,
    private readonly slotPorts: readonly Map<NodeId, Endpoint>[] = [],
    /** Observers: they serve clients and follow the leader, and neither vote nor count to a quorum. */
    readonly observers: readonly NodeId[] = [],
  ) {
    if (proxyApiUrl) this.proxyApiUrl = proxyApiUrl;
  }

  /** Every server, voters then observers. */
  get allServers(): readonly NodeId[] {
    return serversOf(this);
  }

  /** How many client slots have proxied links of their own (0: clients share the client links). */
  get clientSlots(): number {
    return this.slotPorts.length;
  }

  /** The connect string for one client slot: its own links where it has them, else the shared ones. */
  clientConnectString(slot: number, nodes: readonly NodeId[] = this.allServers): string {
    const ports = this.slotPorts[slot];
    if (!ports) return this.connectString(nodes);
    return nodes.map((n) => `${ports.get(n)!.host}:${ports.get(n)!.port}`).join(",");
  }

  /** True when client and peer links go through the proxy container. */
  isProxied(): this is this & Proxied {
    return this.proxyApiUrl !== undefined;
  }

  clientEndpoint(node: NodeId): Endpoint {
    const e = this.clientPorts.get(node);
    if (!e) throw new RangeError(`no such node: ${node}`);
    return e;
  }

  connectString(nodes: readonly NodeId[] = this.allServers): string {
    return nodes.map((n) => `${this.clientEndpoint(n).host}:${this.clientEndpoint(n).port}`).join(",");
  }

  /** The server's direct (unproxied) client port on 127.0.0.1 (or the remote engine's host), for our checks. */
  adminEndpoint(node: NodeId): Endpoint {
    const e = this.adminPorts.get(node);
    if (!e) throw new RangeError(`no such node: ${node}`);
    return e;
  }

  async mode(node: NodeId): Promise<ServerMode> {
    const e = this.adminEndpoint(node);
    return parseMode(await fourLetterWord(e.host, e.port, "srvr", 1000));
  }

  async modes(nodes: readonly NodeId[] = this.nodes): Promise<Record<NodeId, ServerMode>> {
    const modes = await Promise.all(nodes.map((n) => this.mode(n)));
    return Object.fromEntries(nodes.map((n, i) => [n, modes[i]!]));
  }

  /** The version the servers report (`srvr`), from the first that answers; null if none does. */
  async serverVersion(): Promise<string | null> {
    for (const node of this.allServers) {
      const e = this.adminEndpoint(node);
      const version = parseVersion(await fourLetterWord(e.host, e.port, "srvr", 1000));
      if (version) return version;
    }
    return null;
  }

  /** Resolve once every observer answers as one (they sync with the leader after it is elected). */
  async waitForObservers(opts: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    while (this.observers.length > 0) {
      const modes = await this.modes(this.observers);
      if (this.observers.every((n) => modes[n] === "observer")) return;
      if (Date.now() > deadline)
        throw new Error(`observers not up within ${opts.timeoutMs ?? 60_000} ms: ${JSON.stringify(modes)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async leader(): Promise<NodeId | null> {
    const modes = await this.modes();
    return this.nodes.find((n) => modes[n] === "leader") ?? null;
  }

  async waitForQuorum(opts: { timeoutMs?: number; nodes?: readonly NodeId[] } = {}): Promise<NodeId> {
    const nodes = opts.nodes ?? this.nodes;
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    let last: Record<NodeId, ServerMode> = {};
    for (;;) {
      last = await this.modes(nodes);
      const leaders = nodes.filter((n) => last[n] === "leader");
      const followers = nodes.filter((n) => last[n] === "follower");
      if (leaders.length === 1 && followers.length === nodes.length - 1) return leaders[0]!;
      if (nodes.length === 1 && last[nodes[0]!] === "standalone") return nodes[0]!;
      if (Date.now() > deadline) {
        throw new Error(`no quorum within ${opts.timeoutMs ?? 60_000} ms: ${JSON.stringify(last)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private container(node: NodeId): Docker.Container {
    const c = this.servers.get(node);
    if (!c) throw new RangeError(`no such node: ${node}`);
    return c;
  }

  async kill(node: NodeId): Promise<void> {
    await this.container(node).kill({ signal: "SIGKILL" });
  }

  async start(node: NodeId): Promise<void> {
    await this.container(node).start();
  }

  async stop(node: NodeId): Promise<void> {
    await this.container(node).stop({ t: 10 });
  }

  async pause(node: NodeId): Promise<void> {
    await this.container(node).pause();
  }

  async unpause(node: NodeId): Promise<void> {
    await this.container(node).unpause();
  }

  /**
   * Undo every fault a caller may have left: unpause paused servers, start stopped ones, remove the
   * proxies' toxics and re-enable them, then wait for a quorum. For a shared ensemble before each test, so
   * one test's failure never becomes the next one's.
   */
  async restore(opts: { timeoutMs?: number } = {}): Promise<NodeId> {
    await Promise.all(
      this.allServers.map(async (node) => {
        const { State } = await this.container(node).inspect();
        if (State.Paused) await this.unpause(node);
        else if (!State.Running) await this.start(node);
      }),
    );
    if (this.proxyApiUrl) await new ToxiproxyLinks(this.proxyApiUrl).heal();
    const leader = await this.waitForQuorum({ timeoutMs: opts.timeoutMs ?? 60_000 });
    await this.waitForObservers({ timeoutMs: opts.timeoutMs ?? 60_000 });
    return leader;
  }

  /** Whether the server's container is running (false after kill or stop). */
  async isRunning(node: NodeId): Promise<boolean> {
    return (await this.container(node).inspect()).State.Running;
  }

  /** Write each server's log (and the proxy's) to `dir`/zkN.log. */
  async collectLogs(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    const all: [string, Docker.Container][] = [...this.servers];
    if (this.proxyContainer) all.push(["proxy", this.proxyContainer]);
    await Promise.all(
      all.map(async ([name, c]) => {
        try {
          const buf = (await c.logs({
            stdout: true,
            stderr: true,
            follow: false,
            timestamps: true,
          })) as Buffer;
          writeFileSync(join(dir, `${name}.log`), demux(buf));
        } catch (err) {
          log.warn({ node: name, err: String(err) }, "could not collect the log");
        }
      }),
    );
  }

  /** Remove every container and the network. Idempotent. */
  async stopAll(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await removeLabelled({ runId: this.runId });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopAll();
  }
}

/** Docker's multiplexed log stream (8-byte frame headers) → plain text. */
export function demux(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
    const size = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  if (i === 0) return buf.toString("utf8");
  return Buffer.concat(parts).toString("utf8");
}
