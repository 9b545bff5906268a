/**
 * The logical links of an ensemble and the proxy that carries each. Every client→server and every directed
 * server→server link (quorum and election port) goes through its own Toxiproxy proxy, so a nemesis can say
 * "cut zk1 off from zk2" or "slow zk3's links" without knowing proxy names or ports. Pure: no I/O.
 */

export type NodeId = string;

/** A directed link between servers; `port` says which of the two peer ports it carries. */
export interface PeerLink {
  kind: "peer";
  from: NodeId;
  to: NodeId;
  port: "quorum" | "election";
}

/**
 * A client's link to a server: shared by every client, or one client slot's own (so one client can be cut
 * off while the others carry on: the network form of a client pause).
 */
export interface ClientLink {
  kind: "client";
  to: NodeId;
  slot?: number;
}

export type Link = PeerLink | ClientLink;

/** A proxy definition as Toxiproxy's /populate takes it. */
export interface ProxyDefinition {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

/** Name of the proxy container on the ensemble's network. */
export const PROXY_HOST = "toxiproxy";
export const PROXY_API_PORT = 8474;
export const ZK_CLIENT_PORT = 2181;
export const ZK_QUORUM_PORT = 2888;
export const ZK_ELECTION_PORT = 3888;

const nodeNumber = (node: NodeId): number => {
  const m = /^zk(\d)$/.exec(node);
  if (!m) throw new RangeError(`not a node name: ${node}`);
  return Number(m[1]);
};

/** The port the proxy container listens on for a link. Peer links: 3FTP (from, to, 0 quorum / 1 election). */
export function linkPort(link: Link): number {
  if (link.kind === "client")
    return link.slot === undefined
      ? 21810 + nodeNumber(link.to)
      : 22000 + link.slot * 10 + nodeNumber(link.to);
  return 30000 + nodeNumber(link.from) * 100 + nodeNumber(link.to) * 10 + (link.port === "quorum" ? 0 : 1);
}

export function proxyName(link: Link): string {
  if (link.kind === "client")
    return link.slot === undefined ? `client-${link.to}` : `client${link.slot}-${link.to}`;
  return `${link.from}-${link.to}-${link.port}`;
}

function upstream(link: Link): string {
  if (link.kind === "client") return `${link.to}:${ZK_CLIENT_PORT}`;
  return `${link.to}:${link.port === "quorum" ? ZK_QUORUM_PORT : ZK_ELECTION_PORT}`;
}

export function allNodes(n: number): NodeId[] {
  return Array.from({ length: n }, (_, i) => `zk${i + 1}`);
}

/** Most client slots with links of their own (ports 22000 + slot·10 + node stay below 30000). */
export const MAX_CLIENT_SLOTS = 64;

/** One client slot's own links to the given servers. */
export function clientLinksOf(slot: number, nodes: readonly NodeId[]): ClientLink[] {
  return nodes.map((to) => ({ kind: "client", to, slot }));
}

/**
 * Every link of an n-node ensemble: n shared client links, n per client slot, and n(n-1)·2 peer links
 * (N=5: 40).
 */
export function allLinks(n: number, clientSlots = 0): Link[] {
  if (!Number.isInteger(clientSlots) || clientSlots < 0 || clientSlots > MAX_CLIENT_SLOTS)
    throw new RangeError(`client slots must be 0..${MAX_CLIENT_SLOTS}, got ${clientSlots}`);
  const nodes = allNodes(n);
  const links: Link[] = nodes.map((to) => ({ kind: "client", to }));
  for (let slot = 0; slot < clientSlots; slot++) links.push(...clientLinksOf(slot, nodes));
  for (const from of nodes)
    for (const to of nodes)
      if (from !== to) {
        links.push({ kind: "peer", from, to, port: "quorum" });
        links.push({ kind: "peer", from, to, port: "election" });
      }
  return links;
}

export function proxyDefinitions(n: number, clientSlots = 0): ProxyDefinition[] {
  return allLinks(n, clientSlots).map((link) => ({
    name: proxyName(link),
    listen: `0.0.0.0:${linkPort(link)}`,
    upstream: upstream(link),
    enabled: true,
  }));
}

/** Both directions of both peer ports between a and b. */
export function linksBetween(a: NodeId, b: NodeId): PeerLink[] {
  const out: PeerLink[] = [];
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const)
    for (const port of ["quorum", "election"] as const) out.push({ kind: "peer", from, to, port });
  return out;
}

/**
 * The peer links to cut so that the given groups cannot talk across group lines (links inside a group stay).
 * Nodes in no group keep all their links.
 */
export function linksAcross(groups: readonly (readonly NodeId[])[]): PeerLink[] {
  const out: PeerLink[] = [];
  for (let i = 0; i < groups.length; i++)
    for (let j = i + 1; j < groups.length; j++)
      for (const a of groups[i]!) for (const b of groups[j]!) out.push(...linksBetween(a, b));
  return out;
}

/** Every link touching `node`: its client links and its peer links in both directions. */
export function linksOf(node: NodeId, n: number, clientSlots = 0): Link[] {
  return allLinks(n, clientSlots).filter((l) => l.to === node || (l.kind === "peer" && l.from === node));
}
