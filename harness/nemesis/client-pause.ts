/**
 * Client pauses, by default longer than the session timeout, so the session expires while the client still
 * believes it holds its lock or leadership: the seeds' GC pause. Two forms (ctx.clientPauseMode):
 * - signal: SIGSTOP one workload client process (aimed by ctx.target, see targets.ts), SIGCONT on stop;
 * - network: blackhole that client's own links to every server, both directions, heal on stop. The client
 *   keeps running (timers fire, it sees Disconnected) while the ensemble hears nothing from it.
 */
import { serversOf } from "../../kernel/cluster.ts";
import { clientLinksOf } from "../../kernel/links.ts";
import { logger } from "../../kernel/log.ts";
import type { CaughtWrite } from "../../kernel/resource.ts";
import { Held } from "./held.ts";
import { HeldLinkFault, requireLinkControl } from "./link-faults.ts";
import type { ClientPauseMode, FaultEvent, Nemesis, NemesisContext } from "./nemesis.ts";
import { checkChoices, checkKeys, checkNumber } from "./options.ts";
import { pickClient } from "./targets.ts";

export interface ClientPauseOptions {
  /** Pause length as a multiple of the session timeout (> 1: the session expires). Default 1.5. */
  readonly sessionTimeouts?: number;
  /** Pause length in ms; overrides sessionTimeouts. */
  readonly durationMs?: number;
  /** Overrides the run's --client-pause-mode. */
  readonly mode?: ClientPauseMode;
}

export interface ClientPauseValue {
  readonly slot: number;
  readonly durationMs: number;
  readonly mode: ClientPauseMode;
  /** How the slot was chosen (ctx.target): "holder", "leader", "random (…)". */
  readonly aimed?: string;
}

const NAME = "client-pause";
/**
 * Long enough for the session to expire (the server expires it within a tick of the timeout) and a
 * successor to take over, short enough that the paused client wakes and acts as the old holder early.
 */
export const DEFAULT_PAUSE_SESSION_TIMEOUTS = 1.5;
const MODES: readonly ClientPauseMode[] = ["signal", "network"];

export function clientPauseNemesis(options: ClientPauseOptions = {}): Nemesis {
  checkKeys(NAME, options, ["sessionTimeouts", "durationMs", "mode"]);
  const factor = checkNumber(
    NAME,
    "sessionTimeouts",
    options.sessionTimeouts,
    DEFAULT_PAUSE_SESSION_TIMEOUTS,
  );
  const fixedMs =
    options.durationMs === undefined ? undefined : checkNumber(NAME, "durationMs", options.durationMs, 0, 1);
  const ownMode =
    options.mode === undefined ? undefined : checkChoices(NAME, "mode", [options.mode], MODES)[0];
  const log = logger("nemesis", { nemesis: NAME });
  const paused = new Held<number>();
  const isolated = new HeldLinkFault<ClientPauseValue>(NAME, log);
  let isolatedSlot: number | null = null;
  /** Paused leaders' writes held at the resource, let in as each wakes. */
  const heldWrites = new Map<number, CaughtWrite>();
  const letIn = (slots: readonly number[]): void => {
    for (const slot of slots) {
      heldWrites.get(slot)?.release();
      heldWrites.delete(slot);
    }
  };

  return {
    name: NAME,

    async start(ctx: NemesisContext): Promise<FaultEvent> {
      const mode = ownMode ?? ctx.clientPauseMode ?? "signal";
      const durationMs = fixedMs ?? Math.round(factor * ctx.sessionTimeoutMs);
      if (mode === "network") {
        const control = requireLinkControl(ctx, `${NAME} (network)`);
        if ((ctx.cluster.clientSlots ?? 0) < ctx.clients.slots.length)
          throw new Error(
            `the network ${NAME} needs a proxied link per client: start the ensemble with them`,
          );
        const free = ctx.clients.slots.filter((s) => s !== isolatedSlot);
        if (isolatedSlot !== null || free.length === 0) throw new Error("a client is already cut off");
        const { slot, aimed } = await pickClient(ctx, free, ctx.sessionTimeoutMs);
        const value: ClientPauseValue = { slot, durationMs, mode, aimed };
        // Every server it could reach, observers included.
        const links = clientLinksOf(slot, serversOf(ctx.cluster));
        isolated.hold(links, value);
        isolatedSlot = slot;
        await control.cut(links, "blackhole");
        return { f: "pause-client", value, durationMs };
      }
      const free = ctx.clients.slots.filter((s) => !paused.has(s));
      if (free.length === 0) throw new Error("no client left to pause");
      // Aimed at a holder, the pause lands inside its critical section: the schedule that breaks locks.
      // Aimed at a leader, between its ZooKeeper act and its resource write, which waits out the pause.
      const { slot, aimed, held } = await pickClient(ctx, free, ctx.sessionTimeoutMs, { holdWrite: true });
      if (held) heldWrites.set(slot, held);
      paused.add(slot);
      try {
        await ctx.clients.pause(slot);
      } catch (err) {
        letIn([slot]);
        throw err;
      }
      const value: ClientPauseValue = { slot, durationMs, mode, aimed };
      return { f: "pause-client", value, durationMs };
    },

    async stop(ctx: NemesisContext): Promise<FaultEvent> {
      if (isolatedSlot !== null) {
        const slot = isolatedSlot;
        await isolated.stop(ctx, "resume-client");
        isolatedSlot = null;
        return { f: "resume-client", value: { slots: [slot], mode: "network" } };
      }
      if (paused.size === 0) return { f: "resume-client", value: null };
      const slots = await paused.release((slot) => ctx.clients.resume(slot));
      letIn(slots);
      return { f: "resume-client", value: { slots, mode: "signal" } };
    },

    async heal(ctx: NemesisContext): Promise<void> {
      await isolated.heal(ctx);
      isolatedSlot = null;
      await paused.releaseQuietly(log, "could not resume every client", (slot) => ctx.clients.resume(slot));
      letIn([...heldWrites.keys()]);
    },
  };
}
