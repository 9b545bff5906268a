/**
 * What the nemesis and the runner may ask of a running ensemble. docker/ implements it; nothing here knows
 * about containers, so nemeses and workloads can be tested against fakes.
 */
import type { LinkControl } from "./link-control.ts";
import type { NodeId } from "./links.ts";
import type { ZkVersion } from "./zk-version.ts";

export type { NodeId };

/**
 * ZooKeeper's syncLimit, in ticks, as every ensemble we start runs it: a follower whose replies to the leader
 * lag past syncLimit × tickTime leaves the quorum. Faults that slow a follower on purpose stay below it.
 */
export const SYNC_LIMIT_TICKS = 5;

export type ServerMode = "leader" | "follower" | "observer" | "standalone" | "down";

export interface Endpoint {
  host: string;
  port: number;
}

export interface Cluster {
  readonly runId: string;
  /** The voting servers: what partitions, kills, pauses and the quorum wait act on. */
  readonly nodes: readonly NodeId[];
  /** Observers (absent: none): clients may connect to them; they never count to a quorum. */
  readonly observers?: readonly NodeId[];
  /** Client slots whose links are their own (absent or 0: every client shares the client links). */
  readonly clientSlots?: number;
  /** Where workload clients connect to `node` (through its client proxy when proxies are on). */
  clientEndpoint(node: NodeId): Endpoint;
  /** A ZooKeeper connect string over the given servers (default: all, observers included). */
  connectString(nodes?: readonly NodeId[]): string;
  /** The server's own view (`srvr`), asked on a path that bypasses the proxies. */
  mode(node: NodeId): Promise<ServerMode>;
  /** The current leader, or null if none answers as leader. */
  leader(): Promise<NodeId | null>;
  /** Resolve once one leader and n-1 followers answer (among `nodes`, default all); throws on timeout. */
  waitForQuorum(opts?: { timeoutMs?: number; nodes?: readonly NodeId[] }): Promise<NodeId>;
}

export interface Killable {
  /** SIGKILL the server process (its container stops; data stays). */
  kill(node: NodeId): Promise<void>;
  /** Start a killed or stopped server again. */
  start(node: NodeId): Promise<void>;
  /** Graceful stop (SIGTERM). */
  stop(node: NodeId): Promise<void>;
}

export interface Pausable {
  /** Freeze every process of the server (cgroup freezer, as `docker pause`). */
  pause(node: NodeId): Promise<void>;
  unpause(node: NodeId): Promise<void>;
}

/** A Toxiproxy API over the ensemble's links (present when proxies are on). */
export interface Proxied {
  /** Base URL of the Toxiproxy HTTP API, e.g. http://127.0.0.1:49153. */
  readonly proxyApiUrl: string;
}

export const isKillable = (c: Cluster): c is Cluster & Killable => "kill" in c && "start" in c;
export const isPausable = (c: Cluster): c is Cluster & Pausable => "pause" in c && "unpause" in c;
export const isProxied = (c: Cluster): c is Cluster & Proxied =>
  typeof (c as Partial<Proxied>).proxyApiUrl === "string";

/** What a run asks for when it starts an ensemble. */
export interface ClusterSpec {
  readonly nodes: number;
  readonly tickTimeMs: number;
  /** Client slots that get links of their own (one per client process). */
  readonly clientSlots: number;
  /** The ZooKeeper line to run (absent: the provider's default). */
  readonly zkVersion?: ZkVersion;
  /** Observers besides the voting nodes (absent: none). */
  readonly observers?: number;
  /** Image references the user named; absent: the provider's defaults. */
  readonly zkImage?: string;
  readonly proxyImage?: string;
}

/**
 * A started ensemble as a run uses it: the cluster, the faults it can take (link control present when
 * proxies are on), each client slot's connect string, and its teardown.
 */
export interface RunCluster extends Cluster, Partial<Killable & Pausable & LinkControl> {
  /** The connect string of a client slot's own links, listing the servers in `nodes` order. */
  clientConnectString(slot: number): string;
  /** The version the servers report (their `srvr`), or null if none answers. */
  serverVersion?(): Promise<string | null>;
  /** Copy each server's log into `dir` (nodes/zkN.log); best effort. */
  collectLogs(dir: string): Promise<void>;
  /** Remove everything the ensemble started. */
  close(): Promise<void>;
}

/**
 * Starts ensembles: docker/ in the CLI, a fake in the runner's tests. `Images` is what `prepare` makes sure
 * exists (image references); the run records it in test.json and hands it back to `start`.
 */
export interface ClusterProvider<Images extends object = object> {
  prepare(spec: ClusterSpec): Promise<Images>;
  start(spec: ClusterSpec, images: Images): Promise<RunCluster>;
}

/** Every server of a cluster, voters then observers. */
export const serversOf = (c: Pick<Cluster, "nodes" | "observers">): NodeId[] => [
  ...c.nodes,
  ...(c.observers ?? []),
];
