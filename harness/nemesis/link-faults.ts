/** Shared by the nemeses that act on links (partition, latency): finding the cluster's LinkControl. */
import { hasLinkControl, type LinkControl } from "../cluster/link-control.ts";
import type { NemesisContext } from "./nemesis.ts";

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
