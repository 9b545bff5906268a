/** Choosing which server or client a fault hits, shared by the nemeses. */
import type { NodeId } from "../../kernel/links.ts";
import type { CaughtWrite } from "../../kernel/resource.ts";
import type { InFlightWrite, NemesisContext } from "./nemesis.ts";

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

/** The client to hit, and how it was chosen (recorded with the fault). */
export interface ClientPick {
  readonly slot: number;
  /** "holder" (inside its critical section), "leader", or "random" (with why, when aiming found nobody). */
  readonly aimed: string;
  /** The leader's write, held at the resource (`holdWrite`): let it in once the fault is over. */
  readonly held?: CaughtWrite;
}

export interface PickClientOptions {
  /**
   * Aiming at a leader, catch its next write at the resource and hold it there, so the fault lands between
   * its ZooKeeper act and its resource write. The caller must release `held`.
   */
  readonly holdWrite?: boolean;
}

/**
 * A client slot out of `free`, aimed by `ctx.target`: a holder inside its critical section now, else the
 * next to enter one within `waitMs`; the leader as its next write reaches the resource (`holdWrite`) or as
 * it starts its next act, within `waitMs`; or a seeded
 * random one. An aim that finds nobody falls back to random and says so: a fault is never skipped for want
 * of a target.
 */
export async function pickClient(
  ctx: NemesisContext,
  free: readonly number[],
  waitMs: number,
  options: PickClientOptions = {},
): Promise<ClientPick> {
  if (free.length === 0) throw new Error("no client left to hit");
  const target = ctx.target ?? "auto";
  const actors = ctx.actors;
  const random = (why?: string): ClientPick => ({
    slot: ctx.random.pick(free),
    aimed: why ? `random (${why})` : "random",
  });
  if (target === "random") return random();
  if (target === "inflight") {
    const w = await pickInFlight(ctx, waitMs, (x) => free.includes(x.slot));
    return w ? { slot: w.slot, aimed: `inflight (${w.f})` } : random("no write in flight");
  }
  if (!actors) return random("no resource to aim by");
  const kind = target === "auto" ? actors.kind() : target;
  // auto on a workload that has shown no holder or leader (a register, a queue): no wait, no aim.
  if (kind === null) return random("no holder or leader seen");
  const deadline = Date.now() + waitMs;
  if (kind === "leader") {
    if (options.holdWrite && actors.catchLeaderWrite) {
      const caught = await actors.catchLeaderWrite(waitMs, (s) => free.includes(s));
      if (caught) return { slot: caught.slot, aimed: "leader (its write held)", held: caught };
    }
    // Leaders resign and hand over within a fraction of a second: the last writer may lead no more, so
    // aim at the next write at the highest epoch, which its leader makes while it leads.
    for (let left = deadline - Date.now(); left > 0; left = deadline - Date.now()) {
      const next = await actors.nextLeaderWrite(left);
      if (next === null) break;
      if (!free.includes(next)) continue;
      // Paused inside its next act, a leader wakes with that act half done; paused between acts, it may
      // give up leading (resign) before it acts again. Its next op is not its act: the next leader's.
      const act = await nextOpOf(ctx, next, Math.min(ACT_WAIT_MS, Math.max(0, deadline - Date.now())));
      if (act === "other") continue;
      return { slot: next, aimed: act === "act" ? "leader (in its write)" : "leader" };
    }
    const leader = actors.leader();
    if (leader !== null && free.includes(leader)) return { slot: leader, aimed: "leader (no write since)" };
    return random(leader === null ? "no leader seen" : "the leader is already hit");
  }
  const inside = actors.inSection().filter((s) => free.includes(s));
  if (inside.length > 0) return { slot: ctx.random.pick(inside), aimed: "holder" };
  for (let left = waitMs; left > 0; left = deadline - Date.now()) {
    const next = await actors.nextEntry(left);
    if (next === null) break;
    if (free.includes(next)) return { slot: next, aimed: "holder" };
  }
  return random("no holder entered a critical section");
}

/** How long a leader's next op may take to start after its leading write. */
const ACT_WAIT_MS = 1000;

/**
 * What `slot` starts next: a write the workload aims at ("act"), another write ("other"), or nothing seen
 * within `waitMs` ("none"; reads are not seen). Without the runner's in-flight view: "none".
 */
async function nextOpOf(
  ctx: NemesisContext,
  slot: number,
  waitMs: number,
): Promise<"act" | "other" | "none"> {
  const tracker = ctx.inFlight;
  if (!tracker?.aimsAt) return "none";
  const deadline = Date.now() + waitMs;
  for (let left = waitMs; left > 0; left = deadline - Date.now()) {
    const w = await tracker.nextWrite(left);
    if (w === null) return "none";
    if (w.slot === slot) return tracker.aimsAt(w.f) ? "act" : "other";
  }
  return "none";
}

/**
 * A client write in flight now (one whose server is known first), else the next invoked within `waitMs`
 * that `ok` accepts; null when none comes.
 */
export async function pickInFlight(
  ctx: NemesisContext,
  waitMs: number,
  ok: (w: InFlightWrite) => boolean = () => true,
): Promise<InFlightWrite | null> {
  const tracker = ctx.inFlight;
  if (!tracker) return null;
  const now = tracker.writes().filter(ok);
  const known = now.filter((w) => w.node !== undefined);
  if (known.length > 0) return ctx.random.pick(known);
  if (now.length > 0) return ctx.random.pick(now);
  const deadline = Date.now() + waitMs;
  for (let left = waitMs; left > 0; left = deadline - Date.now()) {
    const next = await tracker.nextWrite(left);
    if (next === null) return null;
    if (ok(next)) return next;
  }
  return null;
}
