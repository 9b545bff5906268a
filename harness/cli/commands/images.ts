import { ensureProxyImage, ensureZooKeeperImage } from "../../../docker/images.ts";
import { parseZkVersions } from "../../../kernel/zk-version.ts";

/** `zk-chaos images`: make sure the ZooKeeper image of each line asked for, and the proxy image, exist. */
export async function imagesCommand(opts: { rebuild?: boolean; zkVersions?: string }): Promise<number> {
  const versions = parseZkVersions(opts.zkVersions); // bad input before any build
  const rebuild = opts.rebuild ? { rebuild: true } : {};
  for (const zkVersion of versions)
    process.stdout.write(
      `zookeeper ${zkVersion} image: ${await ensureZooKeeperImage({ ...rebuild, zkVersion })}\n`,
    );
  process.stdout.write(`proxy image:          ${await ensureProxyImage(rebuild)}\n`);
  return 0;
}
