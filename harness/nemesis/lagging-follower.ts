/**
 * A lagging follower, and reads steered to it (seed 002: no simultaneously consistent cross-client views).
 * One follower's quorum link to the leader gets latency (each direction), so proposals and commits reach it
 * late: it stays in the quorum (pings and acks still arrive well within syncLimit × tickTime, and the leader
 * commits with the other followers' acks) but applies each write a lag behind the others. Then the clients
 * are split (seeded): readers' links to every other server are refused, so they reconnect to the follower and
 * stay there; writers' links to the follower are refused, so they work through the up-to-date servers. A
 * write acknowledged to a writer is, for about the lag, invisible to a reader's plain getData: a stale read
 * that a sync() before the read prevents. stop heals exactly the links it touched.
 */
import { SYNC_LIMIT_TICKS } from "../../kernel/cluster.ts";
import type { Link, NodeId } from "../../kernel/links.ts";
import { clientLinksOf } from "../../kernel/links.ts";
import { BadInputError } from "../../kernel/errors.ts";
import { logger } from "../../kernel/log.ts";
import { HeldLinkFault, requireLinkControl } from "./link-faults.ts";
import type { EnsembleFacts, FaultEvent, Nemesis, NemesisContext } from "./nemesis.ts";
import { checkKeys, checkNumber } from "./options.ts";

export interface LaggingFollowerOptions {
  /** Latency on each direction of the follower's quorum link to the leader, ms. Default 500. */
  readonly lagMs?: number;
  /** ± this much, ms. Default 100. */
  readonly jitterMs?: number;
}

export interface LaggingFollowerValue {
  readonly follower: NodeId;
  readonly leader: NodeId;
  readonly lagMs: number;
  readonly jitterMs: number;
  /** Client slots pinned to the follower. */
  readonly readers: readonly number[];
  /** Client slots kept off it. */
  readonly writers: readonly number[];
  /** How many proxied links were slowed or refused. */
  readonly count: number;
}

const NAME = "lagging-follower";
export const DEFAULT_LAG_MS = 500;
const DEFAULT_JITTER_MS = 100;

/**
 * The most lag (with its jitter) the follower can take and stay in the quorum. The leader drops a follower
 * whose acks are syncLimit ticks late, checked once a tick; an ack pays the lag twice (a round trip). So:
 * half of (syncLimit − 1) × tickTime, a tick kept as margin (1000 ms at the default 500-ms tick).
 */
export const lagBudgetMs = (tickTimeMs: number): number =>
  Math.floor(((SYNC_LIMIT_TICKS - 1) * tickTimeMs) / 2);

/** BadInputError unless the options' lag and jitter fit the budget of an ensemble ticking at `tickTimeMs`. */
export function checkLagFits(options: LaggingFollowerOptions, { tickTimeMs }: EnsembleFacts): void {
  const lagMs = options.lagMs ?? DEFAULT_LAG_MS;
  const jitterMs = options.jitterMs ?? DEFAULT_JITTER_MS;
  const budget = lagBudgetMs(tickTimeMs);
  if (lagMs + jitterMs > budget)
    throw new BadInputError(
      `${NAME} nemesis: lagMs + jitterMs must be at most ${budget} (half of (syncLimit ${SYNC_LIMIT_TICKS} − 1) × ` +
        `tickTime ${tickTimeMs} ms, or the follower leaves the quorum), got ${lagMs} + ${jitterMs}`,
    );
}

/** Readers: ceil(n/2) of the client slots (seeded); writers: the rest. */
export function splitClients(
  ctx: NemesisContext,
  slots: readonly number[],
): { readers: number[]; writers: number[] } {
  const shuffled = [...slots];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = ctx.random.int(0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const k = Math.ceil(shuffled.length / 2);
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  return { readers: sorted(shuffled.slice(0, k)), writers: sorted(shuffled.slice(k)) };
}

/** The quorum links between a follower and its leader, both directions (the follower's learner connection). */
export function quorumLinks(follower: NodeId, leader: NodeId): Link[] {
  return [
    { kind: "peer", from: follower, to: leader, port: "quorum" },
    { kind: "peer", from: leader, to: follower, port: "quorum" },
  ];
}

export function laggingFollowerNemesis(options: LaggingFollowerOptions = {}): Nemesis {
  checkKeys(NAME, options, ["lagMs", "jitterMs"]);
  const lagMs = checkNumber(NAME, "lagMs", options.lagMs, DEFAULT_LAG_MS, 1);
  // How much lag fits depends on the ensemble's tick time: checkLagFits, through the registry's fit checks.
  const jitterMs = checkNumber(NAME, "jitterMs", options.jitterMs, DEFAULT_JITTER_MS);
  const log = logger("nemesis", { nemesis: NAME });
  const held = new HeldLinkFault<LaggingFollowerValue>(NAME, log);

  return {
    name: NAME,

    async start(ctx: NemesisContext): Promise<FaultEvent> {
      const control = requireLinkControl(ctx, NAME);
      const slots = ctx.cluster.clientSlots ?? 0;
      if (slots === 0) throw new Error(`the ${NAME} nemesis needs each client on links of its own`);
      const nodes = ctx.cluster.nodes;
      const modes = await Promise.all(nodes.map((n) => ctx.cluster.mode(n)));
      const leader = nodes.find((_, i) => modes[i] === "leader");
      const followers = nodes.filter((_, i) => modes[i] === "follower");
      if (leader === undefined) throw new Error("no server answers as leader: no follower to slow");
      if (followers.length === 0) throw new Error(`no server answers as follower of ${leader}`);
      const follower = ctx.random.pick(followers);
      const others = nodes.filter((n) => n !== follower);
      const { readers, writers } = splitClients(
        ctx,
        ctx.clients.slots.filter((s) => s < slots),
      );
      const lag = quorumLinks(follower, leader);
      const steer = [
        ...readers.flatMap((slot) => clientLinksOf(slot, others)),
        ...writers.flatMap((slot) => clientLinksOf(slot, [follower])),
      ];
      const value: LaggingFollowerValue = {
        follower,
        leader,
        lagMs,
        jitterMs,
        readers,
        writers,
        count: lag.length + steer.length,
      };
      held.hold([...lag, ...steer], value);
      log.info(value, "slowing a follower and steering readers to it");
      // Lag first: readers arrive at a follower that is already behind.
      await control.slow(lag, lagMs, jitterMs);
      await control.cut(steer, "refuse");
      return { f: `start-${NAME}`, value };
    },

    stop: (ctx: NemesisContext): Promise<FaultEvent> => held.stop(ctx, `stop-${NAME}`),

    heal: (ctx: NemesisContext): Promise<void> => held.heal(ctx),
  };
}
