import { removeLabelled } from "../../../docker/cleanup.ts";
import { ensureDockerEngine } from "../../../docker/engine.ts";

/** `zk-chaos clean`: remove every container and network labelled zk-chaos.run. */
export async function cleanCommand(): Promise<number> {
  await ensureDockerEngine();
  const removed = await removeLabelled();
  process.stdout.write(`removed ${removed.containers} container(s) and ${removed.networks} network(s)\n`);
  return 0;
}
