/**
 * Test-only in-memory fakes for nemesis tests (as Jepsen's atom-db): a cluster that can be killed, paused
 * and have its links cut, recording every call and the resulting state, and a fake set of client workers.
 * State follows Docker's rules where a nemesis could trip on them: pausing a paused server, unpausing a
 * running one, killing a killed one or starting a running one rejects.
 */
import type { Cluster, Endpoint, Killable, Pausable, ServerMode } from "../../../kernel/cluster.ts";
import type { CutMode, LinkControl } from "../../../kernel/link-control.ts";
import { allNodes, proxyName, type Link, type NodeId } from "../../../kernel/links.ts";
import { Random } from "../../../kernel/random.ts";
import type { ClientControl, ClientPauseMode, NemesisContext } from "../nemesis.ts";

export interface Call {
  readonly op: string;
  readonly args: readonly unknown[];
}

/** Makes the next `times` calls of an operation reject before they change anything. */
class Failures {
  private readonly pending = new Map<string, number>();
  failNext(op: string, times = 1): void {
    this.pending.set(op, (this.pending.get(op) ?? 0) + times);
  }
  check(op: string): void {
    const n = this.pending.get(op) ?? 0;
    if (n > 0) {
      this.pending.set(op, n - 1);
      throw new Error(`injected failure of ${op}`);
    }
  }
}

/** A base Cluster with no optional capability (no kill, pause or link control). */
export function bareCluster(n = 3, leader: NodeId | null = "zk1"): Cluster {
  const nodes = allNodes(n);
  return {
    runId: "fake",
    nodes,
    clientEndpoint: (node) => ({ host: "127.0.0.1", port: 21810 + nodes.indexOf(node) + 1 }),
    connectString: (ns = nodes) => ns.map((node) => `127.0.0.1:${21810 + nodes.indexOf(node) + 1}`).join(","),
    mode: (node) => Promise.resolve(node === leader ? "leader" : "follower"),
    leader: () => Promise.resolve(leader),
    waitForQuorum: () => (leader ? Promise.resolve(leader) : Promise.reject(new Error("no quorum"))),
  };
}

export class FakeCluster implements Cluster, Killable, Pausable, LinkControl {
  readonly runId = "fake";
  readonly nodes: readonly NodeId[];
  clientSlots = 0;
  /** The server that answers as leader while it is up; null: none does. */
  leaderNode: NodeId | null;
  readonly calls: Call[] = [];
  readonly killed = new Set<NodeId>();
  readonly paused = new Set<NodeId>();
  /** proxy name → how it is cut. */
  readonly cuts = new Map<string, CutMode>();
  /** proxy name → latency on it. */
  readonly slowed = new Map<string, { latencyMs: number; jitterMs: number }>();
  private readonly failures = new Failures();

  constructor(n = 3, leader: NodeId | null = "zk1") {
    this.nodes = allNodes(n);
    this.leaderNode = leader;
  }

  /** Make the next `times` calls of `op` (e.g. "pause", "cut", "heal") reject without effect. */
  failNext(op: string, times = 1): void {
    this.failures.failNext(op, times);
  }

  private record(op: string, ...args: unknown[]): void {
    this.calls.push({ op, args });
    this.failures.check(op);
  }

  private known(node: NodeId): void {
    if (!this.nodes.includes(node)) throw new RangeError(`no such node: ${node}`);
  }

  /** Calls of one operation, oldest first. */
  callsOf(op: string): Call[] {
    return this.calls.filter((c) => c.op === op);
  }

  clientEndpoint(node: NodeId): Endpoint {
    this.known(node);
    return { host: "127.0.0.1", port: 21810 + this.nodes.indexOf(node) + 1 };
  }

  connectString(nodes: readonly NodeId[] = this.nodes): string {
    return nodes.map((n) => `${this.clientEndpoint(n).host}:${this.clientEndpoint(n).port}`).join(",");
  }

  mode(node: NodeId): Promise<ServerMode> {
    this.known(node);
    if (this.killed.has(node) || this.paused.has(node)) return Promise.resolve("down");
    return Promise.resolve(node === this.leaderNode ? "leader" : "follower");
  }

  leader(): Promise<NodeId | null> {
    const l = this.leaderNode;
    return Promise.resolve(l !== null && !this.killed.has(l) && !this.paused.has(l) ? l : null);
  }

  async waitForQuorum(): Promise<NodeId> {
    const l = await this.leader();
    if (l === null) throw new Error("no quorum");
    return l;
  }

  async kill(node: NodeId): Promise<void> {
    this.record("kill", node);
    this.known(node);
    if (this.killed.has(node)) throw new Error(`${node} is not running`);
    this.killed.add(node);
  }

  async start(node: NodeId): Promise<void> {
    this.record("start", node);
    this.known(node);
    if (!this.killed.has(node)) throw new Error(`${node} is already started`);
    this.killed.delete(node);
  }

  async stop(node: NodeId): Promise<void> {
    this.record("stop", node);
    this.known(node);
    this.killed.add(node);
  }

  async pause(node: NodeId): Promise<void> {
    this.record("pause", node);
    this.known(node);
    if (this.paused.has(node)) throw new Error(`${node} is already paused`);
    this.paused.add(node);
  }

  async unpause(node: NodeId): Promise<void> {
    this.record("unpause", node);
    this.known(node);
    if (!this.paused.has(node)) throw new Error(`${node} is not paused`);
    this.paused.delete(node);
  }

  async cut(links: readonly Link[], mode: CutMode): Promise<void> {
    this.record("cut", links, mode);
    for (const link of links) this.cuts.set(proxyName(link), mode);
  }

  async slow(links: readonly Link[], latencyMs: number, jitterMs: number): Promise<void> {
    this.record("slow", links, latencyMs, jitterMs);
    for (const link of links) this.slowed.set(proxyName(link), { latencyMs, jitterMs });
  }

  async heal(links?: readonly Link[]): Promise<void> {
    this.record("heal", links);
    if (links === undefined) {
      this.cuts.clear();
      this.slowed.clear();
      return;
    }
    for (const link of links) {
      this.cuts.delete(proxyName(link));
      this.slowed.delete(proxyName(link));
    }
  }

  /** Whether traffic between two servers is cut on any of their four proxies. */
  isCutBetween(a: NodeId, b: NodeId): boolean {
    return [...this.cuts.keys()].some((p) => p.startsWith(`${a}-${b}-`) || p.startsWith(`${b}-${a}-`));
  }

  /** The servers `node` can still reach (itself included). */
  viewOf(node: NodeId): NodeId[] {
    return this.nodes.filter((m) => m === node || !this.isCutBetween(node, m));
  }
}

export class FakeClients implements ClientControl {
  readonly slots: readonly number[];
  readonly paused = new Set<number>();
  readonly calls: Call[] = [];
  private readonly failures = new Failures();

  constructor(n = 5) {
    this.slots = Array.from({ length: n }, (_, i) => i);
  }

  failNext(op: "pause" | "resume", times = 1): void {
    this.failures.failNext(op, times);
  }

  async pause(slot: number): Promise<void> {
    this.calls.push({ op: "pause", args: [slot] });
    this.failures.check("pause");
    if (this.paused.has(slot)) throw new Error(`slot ${slot} is already stopped`);
    this.paused.add(slot);
  }

  async resume(slot: number): Promise<void> {
    this.calls.push({ op: "resume", args: [slot] });
    this.failures.check("resume");
    this.paused.delete(slot); // SIGCONT to a running process is harmless
  }
}

export interface FakeContext extends NemesisContext {
  readonly cluster: FakeCluster;
  readonly clients: FakeClients;
}

/** A NemesisContext over fakes: 3 nodes led by zk1, 5 clients, seed 1, 4 s sessions, blackhole cuts. */
export function fakeContext(
  opts: {
    nodes?: number;
    leader?: NodeId | null;
    clients?: number;
    seed?: number;
    sessionTimeoutMs?: number;
    partitionMode?: CutMode;
    clientPauseMode?: ClientPauseMode;
    /** Client slots with links of their own (default: none, the clients share the client links). */
    clientSlots?: number;
  } = {},
): FakeContext {
  const cluster = new FakeCluster(opts.nodes ?? 3, opts.leader === undefined ? "zk1" : opts.leader);
  cluster.clientSlots = opts.clientSlots ?? 0;
  return {
    cluster,
    clients: new FakeClients(opts.clients ?? 5),
    random: new Random(opts.seed ?? 1),
    sessionTimeoutMs: opts.sessionTimeoutMs ?? 4000,
    partitionMode: opts.partitionMode ?? "blackhole",
    ...(opts.clientPauseMode ? { clientPauseMode: opts.clientPauseMode } : {}),
  };
}

/** A context over a cluster with no optional capability. */
export function bareContext(n = 3): NemesisContext {
  return {
    cluster: bareCluster(n),
    clients: new FakeClients(),
    random: new Random(1),
    sessionTimeoutMs: 4000,
    partitionMode: "blackhole",
  };
}
