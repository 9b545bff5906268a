/**
 * Slow links: latency (ms ± jitter ms, each direction) on peer links, client links or both. Each start
 * picks (seeded) a scope: every link of one random server, or every link of the ensemble. The proxy does
 * it (the kernel here has no netem). stop heals exactly the links slowed.
 */
import { serversOf } from "../../kernel/cluster.ts";
import type { Link } from "../../kernel/links.ts";
import { linksBetween, type NodeId } from "../../kernel/links.ts";
import { logger } from "../../kernel/log.ts";
import { HeldLinkFault, pickTargets, requireLinkControl, type NodeScope } from "./link-faults.ts";
import type { FaultEvent, Nemesis, NemesisContext } from "./nemesis.ts";
import { checkChoices, checkKeys, checkNumber } from "./options.ts";

export type LatencyLinks = "peer" | "client" | "all";
export type LatencyScope = NodeScope;

export interface LatencyOptions {
  /** Added to each direction of a slowed link, ms. Default 100. */
  readonly latencyMs?: number;
  /** ± this much, ms (uniform). Default 50. */
  readonly jitterMs?: number;
  /** Which kind of link to slow. Default "all". */
  readonly links?: LatencyLinks;
  /** one-node: every link of one random server; all-nodes: every link. A start picks one. Default both. */
  readonly scopes?: readonly LatencyScope[];
}

export interface LatencyValue {
  readonly scope: LatencyScope;
  readonly nodes: readonly NodeId[];
  readonly links: LatencyLinks;
  readonly latencyMs: number;
  readonly jitterMs: number;
  /** How many proxied links were slowed. */
  readonly count: number;
}

const NAME = "latency";
const LINK_KINDS: readonly LatencyLinks[] = ["peer", "client", "all"];
const SCOPES: readonly LatencyScope[] = ["one-node", "all-nodes"];

/**
 * Every link touching one of `targets` within the ensemble `nodes`, of the given kind; no duplicates. Client
 * links: the shared ones and, where client slots have links of their own, those too.
 */
export function linksTouching(
  targets: readonly NodeId[],
  nodes: readonly NodeId[],
  kind: LatencyLinks,
  clientSlots = 0,
): Link[] {
  const out: Link[] = [];
  if (kind !== "peer")
    for (const to of targets) {
      out.push({ kind: "client", to });
      for (let slot = 0; slot < clientSlots; slot++) out.push({ kind: "client", to, slot });
    }
  if (kind !== "client")
    nodes.forEach((a, i) =>
      nodes.slice(i + 1).forEach((b) => {
        if (targets.includes(a) || targets.includes(b)) out.push(...linksBetween(a, b));
      }),
    );
  return out;
}

export function latencyNemesis(options: LatencyOptions = {}): Nemesis {
  checkKeys(NAME, options, ["latencyMs", "jitterMs", "links", "scopes"]);
  const latencyMs = checkNumber(NAME, "latencyMs", options.latencyMs, 100);
  const jitterMs = checkNumber(NAME, "jitterMs", options.jitterMs, 50);
  const kind =
    options.links === undefined ? "all" : checkChoices(NAME, "links", [options.links], LINK_KINDS)[0]!;
  const scopes = checkChoices(NAME, "scopes", options.scopes, SCOPES);
  const log = logger("nemesis", { nemesis: NAME });
  const held = new HeldLinkFault<LatencyValue>(NAME, log);

  return {
    name: NAME,

    async start(ctx: NemesisContext): Promise<FaultEvent> {
      const control = requireLinkControl(ctx, NAME);
      const { scope, targets } = pickTargets(ctx, scopes);
      const links = linksTouching(targets, serversOf(ctx.cluster), kind, ctx.cluster.clientSlots ?? 0);
      const value: LatencyValue = {
        scope,
        nodes: targets,
        links: kind,
        latencyMs,
        jitterMs,
        count: links.length,
      };
      held.hold(links, value);
      log.info(value, "slowing");
      await control.slow(links, latencyMs, jitterMs);
      return { f: "start-latency", value };
    },

    stop: (ctx: NemesisContext): Promise<FaultEvent> => held.stop(ctx, "stop-latency"),

    heal: (ctx: NemesisContext): Promise<void> => held.heal(ctx),
  };
}
