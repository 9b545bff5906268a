/** Shared by the nemeses that act on links (partition, latency): finding the cluster's LinkControl, and
 * holding the faulted links so that stop and heal undo exactly those. */
import type { Logger } from "pino";
import { hasLinkControl, type LinkControl } from "../../kernel/link-control.ts";
import type { Link, NodeId } from "../../kernel/links.ts";
import { bestEffort, HeldLinks } from "./held.ts";
import type { FaultEvent, NemesisContext } from "./nemesis.ts";

/** one-node: one random server; all-nodes: every server. */
export type NodeScope = "one-node" | "all-nodes";

/** A start's targets: a scope drawn (seeded) from `scopes`, and the servers it covers. */
export function pickTargets(
  ctx: NemesisContext,
  scopes: readonly NodeScope[],
): { scope: NodeScope; targets: NodeId[] } {
  const nodes = ctx.cluster.nodes;
  const scope = ctx.random.pick(scopes);
  return { scope, targets: scope === "one-node" ? [ctx.random.pick(nodes)] : [...nodes] };
}

/** The context's LinkControl, or undefined when the ensemble runs without proxies. */
export function linkControlOf(ctx: NemesisContext): LinkControl | undefined {
  return hasLinkControl(ctx.cluster) ? ctx.cluster : undefined;
}

/** The context's LinkControl; throws a clear error when the ensemble runs without proxies. */
export function requireLinkControl(ctx: NemesisContext, nemesis: string): LinkControl {
  const control = linkControlOf(ctx);
  if (!control) throw new Error(`the ${nemesis} nemesis needs link control: run the ensemble with proxies`);
  return control;
}

/**
 * The links a link nemesis has faulted (or tried to) and the value of the start that faulted them: stop
 * heals exactly those and reports that value; heal is best effort and never throws.
 */
export class HeldLinkFault<V> {
  private readonly held = new HeldLinks();
  private active: V | null = null;

  constructor(
    private readonly nemesis: string,
    private readonly log: Logger,
  ) {}

  /** Hold `links` as faulted by the start whose value is `value`; call before faulting them, so a fault
   * that fails half-way is still healed. */
  hold(links: readonly Link[], value: V): void {
    this.held.add(links);
    this.active = value;
  }

  /** Heal the held links; the event `f` carries the value of the start that faulted them (null if none). */
  async stop(ctx: NemesisContext, f: string): Promise<FaultEvent> {
    if (this.held.size === 0) return { f, value: null };
    await this.held.release(requireLinkControl(ctx, this.nemesis));
    const value = this.active;
    this.active = null;
    return { f, value };
  }

  async heal(ctx: NemesisContext): Promise<void> {
    if (this.held.size === 0) return;
    const control = linkControlOf(ctx);
    if (!control) {
      this.log.warn({ links: this.held.size }, "heal: no link control to heal with");
      return;
    }
    const healed = await bestEffort(this.log, `heal ${this.held.size} links`, () =>
      this.held.release(control),
    );
    if (healed) this.active = null;
  }
}
