/** Choosing which server a fault hits, shared by the pause and kill nemeses. */
import type { NodeId } from "../../kernel/links.ts";
import type { NemesisContext } from "./nemesis.ts";

/** any: a random server (seeded); leader: whichever server answers as leader right now. */
export type ServerTarget = "any" | "leader";
export const SERVER_TARGETS: readonly ServerTarget[] = ["any", "leader"];

/**
 * The server to hit, skipping `busy` (servers this nemesis already holds down). Throws when there is no
 * such server: no leader answers, or every server is already busy.
 */
export async function pickServer(
  ctx: NemesisContext,
  target: ServerTarget,
  busy: ReadonlySet<NodeId>,
): Promise<NodeId> {
  if (target === "leader") {
    const leader = await ctx.cluster.leader();
    if (leader === null) throw new Error("no server answers as leader: cannot target the leader");
    if (busy.has(leader)) throw new Error(`the leader ${leader} is already down`);
    return leader;
  }
  const free = ctx.cluster.nodes.filter((n) => !busy.has(n));
  if (free.length === 0) throw new Error("every server is already down");
  return ctx.random.pick(free);
}
