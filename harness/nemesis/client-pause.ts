/**
 * Client pauses: SIGSTOP one workload client process (a random slot) and SIGCONT it on stop, by default for
 * longer than its session timeout, so its session expires while it still believes it holds its lock or
 * leadership: the seeds' GC pause.
 */
import { logger } from "../core/log.ts";
import { Held } from "./held.ts";
import type { FaultEvent, Nemesis, NemesisContext } from "./nemesis.ts";
import { checkKeys, checkNumber } from "./options.ts";

export interface ClientPauseOptions {
  /** Pause length as a multiple of the session timeout (> 1: the session expires). Default 2. */
  readonly sessionTimeouts?: number;
}

export interface ClientPauseValue {
  readonly slot: number;
  readonly durationMs: number;
}

const NAME = "client-pause";

export function clientPauseNemesis(options: ClientPauseOptions = {}): Nemesis {
  checkKeys(NAME, options, ["sessionTimeouts"]);
  const factor = checkNumber(NAME, "sessionTimeouts", options.sessionTimeouts, 2);
  const log = logger("nemesis", { nemesis: NAME });
  const paused = new Held<number>();

  return {
    name: NAME,

    async start(ctx: NemesisContext): Promise<FaultEvent> {
      const free = ctx.clients.slots.filter((s) => !paused.has(s));
      if (free.length === 0) throw new Error("no client left to pause");
      const slot = ctx.random.pick(free);
      const durationMs = Math.round(factor * ctx.sessionTimeoutMs);
      paused.add(slot);
      await ctx.clients.pause(slot);
      const value: ClientPauseValue = { slot, durationMs };
      return { f: "pause-client", value, durationMs };
    },

    async stop(ctx: NemesisContext): Promise<FaultEvent> {
      if (paused.size === 0) return { f: "resume-client", value: null };
      const slots = await paused.release((slot) => ctx.clients.resume(slot));
      return { f: "resume-client", value: { slots } };
    },

    async heal(ctx: NemesisContext): Promise<void> {
      await paused.releaseQuietly(log, "could not resume every client", (slot) => ctx.clients.resume(slot));
    },
  };
}
