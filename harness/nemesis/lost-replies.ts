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
import type { FaultEvent, Nemesis, NemesisContext } from "./nemesis.ts";
import { checkChoices, checkKeys } from "./options.ts";

export type LostRepliesScope = NodeScope;

export interface LostRepliesOptions {
  /** one-node: one random server's replies; all-nodes: every server's. A start picks one. Default one-node. */
  readonly scopes?: readonly LostRepliesScope[];
}

export interface LostRepliesValue {
  readonly scope: LostRepliesScope;
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
      const { scope, targets } = pickTargets(ctx, scopes);
      const links = linksTouching(targets, ctx.cluster.nodes, "client", ctx.cluster.clientSlots ?? 0);
      const value: LostRepliesValue = { scope, nodes: targets, count: links.length };
      held.hold(links, value);
      log.info(value, "dropping replies");
      await control.cut(links, "drop-replies");
      return { f: "start-lost-replies", value };
    },

    stop: (ctx: NemesisContext): Promise<FaultEvent> => held.stop(ctx, "stop-lost-replies"),

    heal: (ctx: NemesisContext): Promise<void> => held.heal(ctx),
  };
}
