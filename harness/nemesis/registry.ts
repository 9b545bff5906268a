/**
 * Nemeses by name: `--nemesis partition,kill` resolves here, through a map from name to factory (adding a
 * fault is one file plus one line below, as Toxiproxy's toxic registry). Each factory checks its own
 * options and throws BadInputError on a bad one.
 */
import { BadInputError } from "../../kernel/errors.ts";
import { clientPauseNemesis, type ClientPauseOptions } from "./client-pause.ts";
import { killNemesis, type KillOptions } from "./kill.ts";
import { checkLagFits, laggingFollowerNemesis, type LaggingFollowerOptions } from "./lagging-follower.ts";
import { latencyNemesis, type LatencyOptions } from "./latency.ts";
import { lostRepliesNemesis, type LostRepliesOptions } from "./lost-replies.ts";
import type { EnsembleFacts, Nemesis } from "./nemesis.ts";
import { noneNemesis, type NoneOptions } from "./none.ts";
import { partitionNemesis, type PartitionOptions } from "./partition.ts";
import { pauseNemesis, type PauseOptions } from "./pause.ts";

/** Each nemesis's options, by name. */
export interface NemesisOptions {
  partition: PartitionOptions;
  latency: LatencyOptions;
  pause: PauseOptions;
  kill: KillOptions;
  "client-pause": ClientPauseOptions;
  "lost-replies": LostRepliesOptions;
  "lagging-follower": LaggingFollowerOptions;
  none: NoneOptions;
}

export type NemesisName = keyof NemesisOptions;

const REGISTRY: { readonly [K in NemesisName]: (options?: NemesisOptions[K]) => Nemesis } = {
  partition: partitionNemesis,
  latency: latencyNemesis,
  pause: pauseNemesis,
  kill: killNemesis,
  "client-pause": clientPauseNemesis,
  "lost-replies": lostRepliesNemesis,
  "lagging-follower": laggingFollowerNemesis,
  none: noneNemesis,
};

/**
 * Checks of a fault's options against the ensemble, for the faults whose limits depend on it: the factory
 * sees the options alone, so the test spec runs these once it knows the ensemble.
 */
const FITS: { readonly [K in NemesisName]?: (options: NemesisOptions[K], ensemble: EnsembleFacts) => void } =
  {
    "lagging-follower": checkLagFits,
  };

/** BadInputError where the fault's options do not fit the ensemble; nothing for a fault without such limits. */
export function checkFitsEnsemble(
  name: NemesisName,
  options: NemesisOptions[NemesisName],
  ensemble: EnsembleFacts,
): void {
  const fits = FITS[name] as
    ((options: NemesisOptions[NemesisName], ensemble: EnsembleFacts) => void) | undefined;
  fits?.(options, ensemble);
}

/** Every registered name, in registry order. */
export const NEMESIS_NAMES = Object.keys(REGISTRY) as readonly NemesisName[];

export const isNemesisName = (name: string): name is NemesisName => Object.hasOwn(REGISTRY, name);

/**
 * A fresh nemesis (its own state) for `name`. Unknown name, or options it does not take: BadInputError.
 * With a name only known at run time (a CLI flag), pass that nemesis's options, or none for defaults.
 */
export function nemesisByName<K extends NemesisName>(name: K, options?: NemesisOptions[K]): Nemesis;
export function nemesisByName(name: string, options?: NemesisOptions[NemesisName]): Nemesis;
export function nemesisByName(name: string, options?: NemesisOptions[NemesisName]): Nemesis {
  if (!isNemesisName(name))
    throw new BadInputError(`unknown nemesis "${name}"; valid: ${NEMESIS_NAMES.join(", ")}`);
  const factory = REGISTRY[name] as (options?: NemesisOptions[NemesisName]) => Nemesis;
  return factory(options);
}
