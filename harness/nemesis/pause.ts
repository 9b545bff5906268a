/**
 * Server pauses: freeze every process of one server (as `docker pause`), the leader or any, for a short
 * (sessions survive) or long (sessions on it expire) time measured against the clients' session timeout.
 * start pauses and returns the intended duration; the runner calls stop after it, which unpauses.
 */
import { isPausable, type Cluster, type NodeId, type Pausable } from "../../kernel/cluster.ts";
import { logger } from "../../kernel/log.ts";
import { Held } from "./held.ts";
import type { FaultEvent, Nemesis, NemesisContext } from "./nemesis.ts";
import { checkChoices, checkKeys } from "./options.ts";
import { pickServer, SERVER_TARGETS, type ServerTarget } from "./targets.ts";

/** short: half the session timeout; long: twice it. */
export type PauseDuration = "short" | "long";
export const PAUSE_DURATIONS: readonly PauseDuration[] = ["short", "long"];
/** Pause length as a multiple of the session timeout. */
export const PAUSE_FACTOR: Readonly<Record<PauseDuration, number>> = { short: 0.5, long: 2 };

export interface PauseOptions {
  /** Which server a start freezes, picked (seeded) among these. Default: any and leader. */
  readonly targets?: readonly ServerTarget[];
  /** How long, picked (seeded) among these. Default: short and long. */
  readonly durations?: readonly PauseDuration[];
}

export interface PauseValue {
  readonly node: NodeId;
  readonly target: ServerTarget;
  readonly duration: PauseDuration;
  readonly durationMs: number;
}

const NAME = "pause";

function pausable(ctx: NemesisContext): Cluster & Pausable {
  if (!isPausable(ctx.cluster)) throw new Error("the pause nemesis needs a cluster that can pause servers");
  return ctx.cluster;
}

export function pauseNemesis(options: PauseOptions = {}): Nemesis {
  checkKeys(NAME, options, ["targets", "durations"]);
  const targets = checkChoices(NAME, "targets", options.targets, SERVER_TARGETS);
  const durations = checkChoices(NAME, "durations", options.durations, PAUSE_DURATIONS);
  const log = logger("nemesis", { nemesis: NAME });
  const paused = new Held<NodeId>();

  return {
    name: NAME,

    async start(ctx: NemesisContext): Promise<FaultEvent> {
      const cluster = pausable(ctx);
      const target = ctx.random.pick(targets);
      const duration = ctx.random.pick(durations);
      const node = await pickServer(ctx, target, new Set(paused.list()));
      const durationMs = Math.round(PAUSE_FACTOR[duration] * ctx.sessionTimeoutMs);
      paused.add(node);
      await cluster.pause(node);
      const value: PauseValue = { node, target, duration, durationMs };
      return { f: "pause", value, durationMs };
    },

    async stop(ctx: NemesisContext): Promise<FaultEvent> {
      if (paused.size === 0) return { f: "resume", value: null };
      const cluster = pausable(ctx);
      const nodes = await paused.release((node) => cluster.unpause(node));
      return { f: "resume", value: { nodes } };
    },

    async heal(ctx: NemesisContext): Promise<void> {
      if (paused.size === 0) return;
      if (!isPausable(ctx.cluster)) return log.warn("heal: the cluster cannot unpause");
      const cluster = ctx.cluster;
      await paused.releaseQuietly(log, "could not unpause every server", (node) => cluster.unpause(node));
    },
  };
}
