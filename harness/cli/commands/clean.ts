import { listLabelled, removeLabelled } from "../../../docker/cleanup.ts";
import { ensureDockerEngine } from "../../../docker/engine.ts";

/**
 * `zk-chaos clean`: remove the containers and networks labelled zk-chaos.run of runs whose harness process
 * is gone (killed, crashed); runs still going are left alone unless `all`.
 */
export async function cleanCommand(opts: { all?: boolean; check?: boolean } = {}): Promise<number> {
  await ensureDockerEngine();
  if (opts.check) return checkNoneLeft();
  const removed = await removeLabelled({ orphansOnly: !opts.all });
  process.stdout.write(
    `removed ${removed.containers} container(s) and ${removed.networks} network(s)` +
      `${opts.all ? "" : " of runs whose harness is gone (--all: also live runs)"}\n`,
  );
  return 0;
}

/** `--check` (the test suite's last step): exit 1 naming what is left; remove nothing. */
async function checkNoneLeft(): Promise<number> {
  const left = await listLabelled();
  if (left.containers.length === 0 && left.networks.length === 0) {
    process.stdout.write("no container or network labelled zk-chaos.run remains\n");
    return 0;
  }
  process.stderr.write(
    `left behind: ${left.containers.length} container(s) [${left.containers.join(", ")}], ` +
      `${left.networks.length} network(s) [${left.networks.join(", ")}]\n`,
  );
  return 1;
}
