/** Built-in workloads by name. */
import { BadInputError } from "../kernel/errors.ts";
import { cacheWorkload } from "./cache/index.ts";
import { electionWorkload } from "./election/index.ts";
import { exporterWorkload } from "./exporter/index.ts";
import { lockWorkload } from "./lock/index.ts";
import { multiWorkload } from "./multi/index.ts";
import { queueWorkload } from "./queue/index.ts";
import { registerWorkload } from "./register/index.ts";
import type { Workload } from "./workload.ts";

const WORKLOADS: ReadonlyMap<string, Workload> = new Map([
  [lockWorkload.name, lockWorkload],
  [electionWorkload.name, electionWorkload],
  [registerWorkload.name, registerWorkload],
  [queueWorkload.name, queueWorkload],
  [exporterWorkload.name, exporterWorkload],
  [cacheWorkload.name, cacheWorkload],
  [multiWorkload.name, multiWorkload],
]);

export const workloadNames = (): string[] => [...WORKLOADS.keys()];

export function workloadByName(name: string): Workload {
  const w = WORKLOADS.get(name);
  if (!w) throw new BadInputError(`unknown workload '${name}' (known: ${workloadNames().join(", ")})`);
  return w;
}
