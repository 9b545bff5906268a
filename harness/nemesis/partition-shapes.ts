/**
 * The shapes a network partition can take, as Jepsen's partitioners (jepsen.nemesis: partition-random-node,
 * partition-random-halves, bridge, majorities-ring). Pure: nodes and a seeded Random in, groups and a grudge
 * out; the partition nemesis turns the grudge into peer links to cut.
 */
import { linksBetween, type NodeId, type PeerLink } from "../../kernel/links.ts";
import type { Random } from "../../kernel/random.ts";

export type PartitionShape = "isolate-one" | "isolate-leader" | "halves" | "bridge" | "majorities-ring";
export const PARTITION_SHAPES: readonly PartitionShape[] = [
  "isolate-one",
  "isolate-leader",
  "halves",
  "bridge",
  "majorities-ring",
];

/** node → the peers it cannot talk to. Every shape here is symmetric: if a hates b, b hates a. */
export type Grudge = Readonly<Record<NodeId, readonly NodeId[]>>;

export interface PartitionPlan {
  readonly shape: PartitionShape;
  /**
   * Who can still talk, for shapes made of groups: two nodes keep their links iff some group holds both
   * (bridge: the two groups overlap in the bridge node). Absent for majorities-ring, which has `views`.
   */
  readonly groups?: readonly (readonly NodeId[])[];
  /** The partition per node: node → the peers it cannot talk to; only nodes that lose a peer appear. */
  readonly grudge: Grudge;
  /** bridge: the node both halves still see. */
  readonly bridge?: NodeId;
  /** isolate-leader: the leader cut off. */
  readonly leader?: NodeId;
  /** majorities-ring: the shuffled ring; each node sees the majority centred on itself. */
  readonly ring?: readonly NodeId[];
  /** majorities-ring: node → the majority it sees (itself included). */
  readonly views?: Readonly<Record<NodeId, readonly NodeId[]>>;
}

const majority = (n: number): number => Math.floor(n / 2) + 1;
const sorted = (xs: readonly NodeId[]): NodeId[] => [...xs].sort();

/** Complete grudge of possibly overlapping groups: a hates b iff no group holds both. */
export function grudgeOf(nodes: readonly NodeId[], groups: readonly (readonly NodeId[])[]): Grudge {
  const grudge: Record<NodeId, NodeId[]> = {};
  for (const a of nodes) {
    const mine = groups.filter((g) => g.includes(a));
    if (mine.length === 0) continue; // in no group: keeps every link
    const hated = nodes.filter(
      (b) => b !== a && groups.some((g) => g.includes(b)) && !mine.some((g) => g.includes(b)),
    );
    if (hated.length > 0) grudge[a] = hated;
  }
  return grudge;
}

/** Every peer link (both directions, both ports) between nodes that hate each other; no duplicates. */
export function grudgeLinks(grudge: Grudge): PeerLink[] {
  const pairs = new Set<string>();
  const out: PeerLink[] = [];
  for (const [a, hated] of Object.entries(grudge))
    for (const b of hated) {
      const key = a < b ? `${a} ${b}` : `${b} ${a}`;
      if (pairs.has(key)) continue;
      pairs.add(key);
      out.push(...linksBetween(a, b));
    }
  return out;
}

const fromGroups = (
  shape: PartitionShape,
  nodes: readonly NodeId[],
  groups: NodeId[][],
  extra: Partial<PartitionPlan> = {},
): PartitionPlan => {
  const gs = groups.map(sorted);
  return { shape, groups: gs, grudge: grudgeOf(nodes, gs), ...extra };
};

interface ShapeSpec {
  /** Whether the shape means anything on an n-node ensemble. */
  fits(n: number): boolean;
  plan(nodes: readonly NodeId[], random: Random, leader: NodeId | undefined): PartitionPlan;
}

const SHAPES: Readonly<Record<PartitionShape, ShapeSpec>> = {
  "isolate-one": {
    fits: (n) => n >= 2,
    plan(nodes, random) {
      const lone = random.pick(nodes);
      return fromGroups("isolate-one", nodes, [[lone], nodes.filter((n) => n !== lone)]);
    },
  },
  "isolate-leader": {
    fits: (n) => n >= 2,
    plan(nodes, _random, leader) {
      if (leader === undefined || !nodes.includes(leader))
        throw new RangeError(`isolate-leader needs the leader (got ${String(leader)})`);
      return fromGroups("isolate-leader", nodes, [[leader], nodes.filter((n) => n !== leader)], { leader });
    },
  },
  halves: {
    fits: (n) => n >= 2,
    plan(nodes, random) {
      // As Jepsen's random halves: the first floor(n/2) shuffled nodes against the rest (odd n: a minority
      // and a majority; 4 nodes: 2|2, so neither side has a quorum).
      const shuffled = random.shuffle(nodes);
      const cut = Math.floor(nodes.length / 2);
      return fromGroups("halves", nodes, [shuffled.slice(0, cut), shuffled.slice(cut)]);
    },
  },
  bridge: {
    fits: (n) => n >= 3,
    plan(nodes, random) {
      // Jepsen's bridge: split the shuffled nodes in two; the first node of the larger half talks to both.
      const shuffled = random.shuffle(nodes);
      const cut = Math.floor(nodes.length / 2);
      const bridge = shuffled[cut]!;
      return fromGroups("bridge", nodes, [[...shuffled.slice(0, cut), bridge], shuffled.slice(cut)], {
        bridge,
      });
    },
  },
  "majorities-ring": {
    // Each view is an odd window of ring neighbours centred on its node, smaller than the ring: 4 or 5 nodes
    // (on 3 there is nothing left to cut).
    fits: (n) => n >= 4 && majority(n) % 2 === 1,
    plan(nodes, random) {
      // Jepsen's majorities-ring (perfect variant): on a shuffled ring each node sees the majority centred
      // on itself and hates the rest, so every node is in a majority and no two nodes see the same one.
      const ring = random.shuffle(nodes);
      const n = ring.length;
      const reach = (majority(n) - 1) / 2;
      const views: Record<NodeId, NodeId[]> = {};
      const grudge: Record<NodeId, NodeId[]> = {};
      ring.forEach((node, i) => {
        const view = Array.from({ length: 2 * reach + 1 }, (_, d) => ring[(i - reach + d + n) % n]!);
        views[node] = sorted(view);
        grudge[node] = sorted(nodes.filter((m) => !view.includes(m)));
      });
      return { shape: "majorities-ring", grudge, ring, views };
    },
  },
};

/** Whether the shape means anything on an n-node ensemble. */
export const shapeFits = (shape: PartitionShape, n: number): boolean => SHAPES[shape].fits(n);

/**
 * Plan one partition. `leader` is needed (and only used) by isolate-leader. Throws RangeError if the shape
 * does not fit the node count.
 */
export function planPartition(
  shape: PartitionShape,
  nodes: readonly NodeId[],
  random: Random,
  leader?: NodeId,
): PartitionPlan {
  if (!shapeFits(shape, nodes.length))
    throw new RangeError(`partition shape ${shape} does not fit ${nodes.length} nodes`);
  return SHAPES[shape].plan(nodes, random, leader);
}
