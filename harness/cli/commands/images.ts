import { ensureImages } from "../../../docker/images.ts";

/** `zk-chaos images`: make sure both images exist; prints which ones will run. */
export async function imagesCommand(opts: { rebuild?: boolean }): Promise<number> {
  const images = await ensureImages(opts.rebuild ? { rebuild: true } : {});
  process.stdout.write(`zookeeper image: ${images.zookeeper}\nproxy image:     ${images.proxy}\n`);
  return 0;
}
