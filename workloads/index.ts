/** Built-in workloads by name. */
import { BadInputError } from "../harness/core/errors.ts";
import { registerWorkload } from "./register/index.ts";
import type { Workload } from "./workload.ts";

const WORKLOADS: ReadonlyMap<string, Workload> = new Map([[registerWorkload.name, registerWorkload]]);

export const workloadNames = (): string[] => [...WORKLOADS.keys()];

export function workloadByName(name: string): Workload {
  const w = WORKLOADS.get(name);
  if (!w) throw new BadInputError(`unknown workload '${name}' (known: ${workloadNames().join(", ")})`);
  return w;
}
