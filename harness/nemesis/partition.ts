/**
 * Network partitions between servers: each start picks a shape (seeded, among the allowed ones that fit
 * the ensemble), plans its groups or grudge and cuts every peer link across them, in the context's
 * partition mode (blackhole: bytes vanish, sockets hang; refuse: connections refused and closed). Client
 * links are left alone. stop heals exactly the links cut.
 */
import type { CutMode } from "../../kernel/link-control.ts";
import { logger } from "../../kernel/log.ts";
import { HeldLinkFault, requireLinkControl } from "./link-faults.ts";
import type { FaultEvent, Nemesis, NemesisContext } from "./nemesis.ts";
import { checkChoices, checkKeys } from "./options.ts";
import {
  grudgeLinks,
  PARTITION_SHAPES,
  planPartition,
  shapeFits,
  type PartitionPlan,
  type PartitionShape,
} from "./partition-shapes.ts";

export interface PartitionOptions {
  /** Shapes a start picks from (seeded); shapes that do not fit the ensemble's size are skipped. Default: all. */
  readonly shapes?: readonly PartitionShape[];
  /** How links are cut; default: the run's --partition-mode. */
  readonly mode?: "blackhole" | "refuse";
}

/** The history value of a start-partition: the plan, the mode and how many proxied links were cut. */
export type PartitionValue = PartitionPlan & { readonly mode: CutMode; readonly links: number };

const NAME = "partition";

const CUT_MODES = ["blackhole", "refuse"] as const;

export function partitionNemesis(options: PartitionOptions = {}): Nemesis {
  checkKeys(NAME, options, ["shapes", "mode"]);
  const shapes = checkChoices(NAME, "shapes", options.shapes, PARTITION_SHAPES);
  const ownMode =
    options.mode === undefined ? undefined : checkChoices(NAME, "mode", [options.mode], CUT_MODES)[0];
  const log = logger("nemesis", { nemesis: NAME });
  const held = new HeldLinkFault<PartitionValue>(NAME, log);

  return {
    name: NAME,

    async start(ctx: NemesisContext): Promise<FaultEvent> {
      const control = requireLinkControl(ctx, NAME);
      const nodes = ctx.cluster.nodes;
      const fitting = shapes.filter((s) => shapeFits(s, nodes.length));
      if (fitting.length === 0)
        throw new Error(`no partition shape among ${shapes.join(", ")} fits ${nodes.length} nodes`);
      const shape = ctx.random.pick(fitting);
      let leader: string | undefined;
      if (shape === "isolate-leader") {
        const found = await ctx.cluster.leader();
        if (found === null) throw new Error("isolate-leader: no server answers as leader");
        leader = found;
      }
      const plan = planPartition(shape, nodes, ctx.random, leader);
      const links = grudgeLinks(plan.grudge);
      const mode = ownMode ?? ctx.partitionMode;
      const value: PartitionValue = { ...plan, mode, links: links.length };
      held.hold(links, value); // before cutting: a cut that fails half-way is still healed
      log.info(value, "cutting");
      await control.cut(links, mode);
      return { f: "start-partition", value };
    },

    stop: (ctx: NemesisContext): Promise<FaultEvent> => held.stop(ctx, "stop-partition"),

    heal: (ctx: NemesisContext): Promise<void> => held.heal(ctx),
  };
}
