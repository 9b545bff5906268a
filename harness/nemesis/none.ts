/** The null fault (Jepsen's noop): a baseline run with the same schedule and nothing broken. */
import type { FaultEvent, Nemesis } from "./nemesis.ts";
import { checkKeys } from "./options.ts";

/** The none nemesis takes no options. */
export type NoneOptions = Readonly<Record<string, never>>;

export function noneNemesis(options: NoneOptions = {}): Nemesis {
  checkKeys("none", options, []);
  return {
    name: "none",
    start: (): Promise<FaultEvent> => Promise.resolve({ f: "start-none", value: null }),
    stop: (): Promise<FaultEvent> => Promise.resolve({ f: "stop-none", value: null }),
    heal: (): Promise<void> => Promise.resolve(),
  };
}
