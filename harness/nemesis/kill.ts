/**
 * Server crashes: SIGKILL one server (the leader or any; its data stays), and stop starts the same server
 * again. Jepsen's kill/start.
 */
import { isKillable, type Cluster, type Killable, type NodeId } from "../../kernel/cluster.ts";
import { logger } from "../../kernel/log.ts";
import { Held } from "./held.ts";
import type { FaultEvent, Nemesis, NemesisContext } from "./nemesis.ts";
import { checkChoices, checkKeys } from "./options.ts";
import { pickServer, SERVER_TARGETS, type ServerTarget } from "./targets.ts";

export interface KillOptions {
  /** Which server a start kills, picked (seeded) among these. Default: any and leader. */
  readonly targets?: readonly ServerTarget[];
}

export interface KillValue {
  readonly node: NodeId;
  readonly target: ServerTarget;
}

const NAME = "kill";

function killable(ctx: NemesisContext): Cluster & Killable {
  if (!isKillable(ctx.cluster)) throw new Error("the kill nemesis needs a cluster that can kill servers");
  return ctx.cluster;
}

export function killNemesis(options: KillOptions = {}): Nemesis {
  checkKeys(NAME, options, ["targets"]);
  const targets = checkChoices(NAME, "targets", options.targets, SERVER_TARGETS);
  const log = logger("nemesis", { nemesis: NAME });
  const killed = new Held<NodeId>();

  return {
    name: NAME,

    async start(ctx: NemesisContext): Promise<FaultEvent> {
      const cluster = killable(ctx);
      const target = ctx.random.pick(targets);
      const node = await pickServer(ctx, target, new Set(killed.list()));
      killed.add(node);
      await cluster.kill(node);
      const value: KillValue = { node, target };
      return { f: "kill", value };
    },

    async stop(ctx: NemesisContext): Promise<FaultEvent> {
      if (killed.size === 0) return { f: "start", value: null };
      const cluster = killable(ctx);
      const nodes = await killed.release((node) => cluster.start(node));
      return { f: "start", value: { nodes } };
    },

    async heal(ctx: NemesisContext): Promise<void> {
      if (killed.size === 0) return;
      if (!isKillable(ctx.cluster)) return log.warn("heal: the cluster cannot start servers");
      const cluster = ctx.cluster;
      await killed.releaseQuietly(log, "could not start every killed server", (node) => cluster.start(node));
    },
  };
}
