/**
 * Lost replies: one server's replies to its clients vanish (the client links' server → client stream is
 * blackholed) while requests still reach it and commit. Clients hear nothing, time out with connection loss
 * and reconnect elsewhere, not knowing whether their last request took effect: the case where retrying a
 * non-idempotent create duplicates it (seed 001). stop heals exactly the links it cut.
 */
import type { NodeId } from "../../kernel/links.ts";
import { logger } from "../../kernel/log.ts";
import { linksTouching } from "./latency.ts";
import { HeldLinkFault, pickTargets, requireLinkControl, type NodeScope } from "./link-faults.ts";
import type { FaultEvent, HeldWrite, Nemesis, NemesisContext } from "./nemesis.ts";
import { checkChoices, checkKeys } from "./options.ts";
import { pickInFlight } from "./targets.ts";

export type LostRepliesScope = NodeScope;

export interface LostRepliesOptions {
  /** one-node: one random server's replies; all-nodes: every server's. A start picks one. Default one-node. */
  readonly scopes?: readonly LostRepliesScope[];
}

export interface LostRepliesValue {
  readonly scope: LostRepliesScope;
  /** How the server was chosen: "inflight c2 (create) on zk1", or "random (…)" when no write was seen. */
  readonly aimed?: string;
  readonly nodes: readonly NodeId[];
  /** How many client links lost their replies. */
  readonly count: number;
}

const NAME = "lost-replies";
const SCOPES: readonly LostRepliesScope[] = ["one-node", "all-nodes"];

export function lostRepliesNemesis(options: LostRepliesOptions = {}): Nemesis {
  checkKeys(NAME, options, ["scopes"]);
  const scopes =
    options.scopes === undefined
      ? ["one-node" as const]
      : checkChoices(NAME, "scopes", options.scopes, SCOPES);
  const log = logger("nemesis", { nemesis: NAME });
  const held = new HeldLinkFault<LostRepliesValue>(NAME, log);

  return {
    name: NAME,

    async start(ctx: NemesisContext): Promise<FaultEvent> {
      const control = requireLinkControl(ctx, NAME);
      const caught = await catchWrite(ctx, scopes);
      try {
        // Where the runner can hold writes, a catch that found none has waited its time: no second wait.
        const aim = caught ? caught.aim : ctx.inFlight?.catchNextWrite ? null : await aimAtWrite(ctx, scopes);
        return await cutReplies(ctx, control, aim);
      } finally {
        caught?.held.release(); // the write goes out into the lost replies
      }
    },

    stop: (ctx: NemesisContext): Promise<FaultEvent> => held.stop(ctx, "stop-lost-replies"),

    heal: (ctx: NemesisContext): Promise<void> => held.heal(ctx),
  };

  async function cutReplies(
    ctx: NemesisContext,
    control: ReturnType<typeof requireLinkControl>,
    aim: Aim | null,
  ): Promise<FaultEvent> {
    const { scope, targets } = aim ?? pickTargets(ctx, scopes);
    const links = linksTouching(targets, ctx.cluster.nodes, "client", ctx.cluster.clientSlots ?? 0);
    const value: LostRepliesValue = {
      scope,
      ...(aim
        ? { aimed: aim.aimed }
        : aimed(ctx)
          ? { aimed: "random (no write in flight on a known server)" }
          : {}),
      nodes: targets,
      count: links.length,
    };
    held.hold(links, value);
    log.info(value, "dropping replies");
    await control.cut(links, "drop-replies");
    return { f: "start-lost-replies", value };
  }
}

interface Aim {
  readonly scope: LostRepliesScope;
  readonly targets: NodeId[];
  readonly aimed: string;
}

/**
 * Aimed, where the runner can hold a write before it is sent: the next write the workload aims at, caught
 * and held while its server's replies are cut, so it certainly commits and its reply certainly vanishes.
 */
async function catchWrite(
  ctx: NemesisContext,
  scopes: readonly LostRepliesScope[],
): Promise<{ aim: Aim; held: HeldWrite } | null> {
  if (!aimed(ctx) || !scopes.includes("one-node") || !ctx.inFlight?.catchNextWrite) return null;
  const w = await ctx.inFlight.catchNextWrite(ctx.sessionTimeoutMs);
  if (!w) return null;
  if (!ctx.cluster.nodes.includes(w.node)) {
    w.release();
    return null;
  }
  return {
    aim: { scope: "one-node", targets: [w.node], aimed: `next c${w.slot} (${w.f}) on ${w.node}` },
    held: w,
  };
}

const aimed = (ctx: NemesisContext): boolean =>
  ctx.inFlight !== undefined && (ctx.target ?? "auto") !== "random";

/**
 * Aimed (target auto or inflight, one-node scope): the server a client with a write in flight is on, so that
 * write commits and its reply is what vanishes. Waits up to a session timeout for one.
 */
async function aimAtWrite(ctx: NemesisContext, scopes: readonly LostRepliesScope[]): Promise<Aim | null> {
  if (!aimed(ctx) || !scopes.includes("one-node")) return null;
  const w = await pickInFlight(ctx, ctx.sessionTimeoutMs, (x) => x.node !== undefined);
  if (!w?.node || !ctx.cluster.nodes.includes(w.node)) return null;
  return { scope: "one-node", targets: [w.node], aimed: `inflight c${w.slot} (${w.f}) on ${w.node}` };
}
