import { hostname } from "node:os";
import { docker } from "./engine.ts";
import { HOST_LABEL, PID_LABEL, RUN_LABEL } from "./versions.ts";

export interface Removed {
  containers: number;
  networks: number;
}

function ownerAlive(labels: Record<string, string> | undefined): boolean {
  // Another machine's harness on a shared engine: its pid means nothing here, so it counts as alive.
  const host = labels?.[HOST_LABEL];
  if (host !== undefined && host !== hostname()) return true;
  const n = Number(labels?.[PID_LABEL]);
  if (!Number.isInteger(n) || n <= 0) return false;
  try {
    process.kill(n, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Remove containers (force) and networks labelled zk-chaos.run. `runId` limits it to one run; `orphansOnly`
 * to runs whose harness process is gone (safe while other runs are live). Best effort: one failure does not
 * stop the rest.
 */
export async function removeLabelled(opts: { runId?: string; orphansOnly?: boolean } = {}): Promise<Removed> {
  const label = opts.runId ? `${RUN_LABEL}=${opts.runId}` : RUN_LABEL;
  const containers = await docker.listContainers({ all: true, filters: { label: [label] } });
  const doomed = containers.filter((c) => !opts.orphansOnly || !ownerAlive(c.Labels));
  await Promise.all(
    doomed.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  const networks = await docker.listNetworks({ filters: { label: [label] } });
  const deadNets = networks.filter((n) => !opts.orphansOnly || !ownerAlive(n.Labels));
  let removedNets = 0;
  for (const n of deadNets) {
    try {
      await docker.getNetwork(n.Id).remove();
      removedNets++;
    } catch {
      // still in use by a container another process is removing; the next clean gets it
    }
  }
  return { containers: doomed.length, networks: removedNets };
}

/** Names of the containers and networks labelled zk-chaos.run, removing nothing. */
export async function listLabelled(): Promise<{ containers: string[]; networks: string[] }> {
  const containers = await docker.listContainers({ all: true, filters: { label: [RUN_LABEL] } });
  const networks = await docker.listNetworks({ filters: { label: [RUN_LABEL] } });
  return {
    containers: containers.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, "")),
    networks: networks.map((n) => n.Name),
  };
}

/** Labels every container and network of a run carries. */
export function runLabels(runId: string): Record<string, string> {
  return { [RUN_LABEL]: runId, [PID_LABEL]: String(process.pid), [HOST_LABEL]: hostname() };
}
