import { removeLabelled } from "../../../docker/cleanup.ts";
import { ensureDockerEngine } from "../../../docker/engine.ts";

/**
 * `zk-chaos clean`: remove the containers and networks labelled zk-chaos.run of runs whose harness process
 * is gone (killed, crashed); runs still going are left alone unless `all`.
 */
export async function cleanCommand(opts: { all?: boolean } = {}): Promise<number> {
  await ensureDockerEngine();
  const removed = await removeLabelled({ orphansOnly: !opts.all });
  process.stdout.write(
    `removed ${removed.containers} container(s) and ${removed.networks} network(s)` +
      `${opts.all ? "" : " of runs whose harness is gone (--all: also live runs)"}\n`,
  );
  return 0;
}
