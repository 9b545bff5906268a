/**
 * Faults on links, in the words of the links module: which links, and what happens on them. docker/
 * implements it over the Toxiproxy API; nemeses use it and never see proxy names or HTTP.
 */
import type { Link } from "./links.ts";

/**
 * blackhole: bytes vanish both ways and sockets hang (like dropped packets); refuse: connections refused and
 * closed; drop-replies: only the replies vanish (the link's downstream, e.g. server → client): requests
 * still arrive and take effect while their senders hear nothing.
 */
export type CutMode = "blackhole" | "refuse" | "drop-replies";

export interface LinkControl {
  /** Cut the links. A blackhole can be one-directional per link (the link is already directed). */
  cut(links: readonly Link[], mode: CutMode): Promise<void>;
  /** Add latency (ms, ± jitter ms) to traffic on the links, both directions. */
  slow(links: readonly Link[], latencyMs: number, jitterMs: number): Promise<void>;
  /** Undo every cut and slow-down on the given links (default: all). */
  heal(links?: readonly Link[]): Promise<void>;
}

export const hasLinkControl = (c: object): c is LinkControl =>
  typeof (c as Partial<LinkControl>).cut === "function" &&
  typeof (c as Partial<LinkControl>).slow === "function";
