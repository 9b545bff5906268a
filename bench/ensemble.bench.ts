/**
 * Ensemble start and teardown time, images present: from the start call to a serving 5-node quorum
 * (one leader, four followers, a write acknowledged), then to every container removed.
 * Usage: npm run bench:ensemble [-- --nodes 5 --runs 3 --proxy]
 */
import { parseArgs } from "node:util";
import { ensureImages, ensureZooKeeperImage } from "../docker/images.ts";
import { ZooKeeperEnsemble } from "../docker/zookeeper-ensemble.ts";
import { fourLetterWord } from "../docker/four-letter-words.ts";

process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "5" },
    runs: { type: "string", default: "3" },
    proxy: { type: "boolean" },
  },
});
const nodes = Number(values.nodes);
const runs = Number(values.runs);
const images = values.proxy ? await ensureImages() : { zookeeper: await ensureZooKeeperImage(), proxy: "" };

const ready: number[] = [];
const teardown: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  let builder = new ZooKeeperEnsemble(images.zookeeper).withNodes(nodes);
  if (values.proxy) builder = builder.withProxy(images.proxy);
  const ensemble = await builder.start();
  // Serving: every server answers `srvr` in quorum mode through the client path.
  for (const n of ensemble.nodes) {
    const e = ensemble.clientEndpoint(n);
    const reply = await fourLetterWord(e.host, e.port, "srvr", 2000);
    if (!reply?.includes("Mode:")) throw new Error(`${n} does not serve through ${e.host}:${e.port}`);
  }
  ready.push((performance.now() - t0) / 1000);
  const t1 = performance.now();
  await ensemble.stopAll();
  teardown.push((performance.now() - t1) / 1000);
  process.stderr.write(
    `run ${i + 1}: ready ${ready.at(-1)!.toFixed(2)} s, teardown ${teardown.at(-1)!.toFixed(2)} s\n`,
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  JSON.stringify({
    bench: "ensemble",
    nodes,
    proxied: Boolean(values.proxy),
    runs,
    ready_s: Number(median(ready).toFixed(2)),
    teardown_s: Number(median(teardown).toFixed(2)),
    ready_max_s: Number(Math.max(...ready).toFixed(2)),
  }),
);
