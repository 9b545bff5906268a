/**
 * Ensemble start and teardown, images present, started exactly as a run starts it (dockerClusters:
 * every peer and client link proxied, one set of client links per client slot): from the start call to
 * a quorum that serves through the proxied client links, then to every container removed.
 * Reports median, 90th percentile and max, since start times are not one number.
 * Usage: npm run bench:ensemble [-- --nodes 5 --runs 10 --clients 5]
 *        (--direct: no proxies at all, the servers alone)
 */
import { parseArgs } from "node:util";
import { dockerClusters } from "../docker/chaos-cluster.ts";
import { ensureZooKeeperImage } from "../docker/images.ts";
import { ZooKeeperEnsemble } from "../docker/zookeeper-ensemble.ts";
import { fourLetterWord } from "../docker/four-letter-words.ts";
import type { Cluster } from "../kernel/cluster.ts";
import { DEFAULT_SPEC } from "../harness/runner/test-spec.ts";
import { median, percentile } from "./stats.ts";

process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "5" },
    runs: { type: "string", default: "10" },
    clients: { type: "string", default: String(DEFAULT_SPEC.clients) },
    direct: { type: "boolean" },
  },
});
const nodes = Number(values.nodes);
const runs = Number(values.runs);
const clientSlots = Number(values.clients);

async function startOne(): Promise<Cluster & { close(): Promise<void> }> {
  if (values.direct) {
    const e = await new ZooKeeperEnsemble(await ensureZooKeeperImage()).withNodes(nodes).start();
    return Object.assign(e, { close: () => e.stopAll() });
  }
  const spec = { nodes, tickTimeMs: DEFAULT_SPEC.tickTimeMs, clientSlots };
  return dockerClusters.start(spec, await dockerClusters.prepare(spec));
}

const ready: number[] = [];
const teardown: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const cluster = await startOne();
  // Serving: every server answers `srvr` in quorum mode through the (proxied) client path.
  for (const n of cluster.nodes) {
    const e = cluster.clientEndpoint(n);
    const reply = await fourLetterWord(e.host, e.port, "srvr", 2000);
    if (!reply?.includes("Mode:")) throw new Error(`${n} does not serve through ${e.host}:${e.port}`);
  }
  ready.push((performance.now() - t0) / 1000);
  const t1 = performance.now();
  await cluster.close();
  teardown.push((performance.now() - t1) / 1000);
  process.stderr.write(
    `start ${i + 1}/${runs}: ready ${ready.at(-1)!.toFixed(2)} s, teardown ${teardown.at(-1)!.toFixed(2)} s\n`,
  );
}
const figures = (xs: number[]) => ({
  median: Number(median(xs).toFixed(2)),
  p90: Number(percentile(xs, 0.9).toFixed(2)),
  max: Number(percentile(xs, 1).toFixed(2)),
});
console.log(
  JSON.stringify({
    bench: "ensemble",
    nodes,
    proxied: !values.direct,
    clientSlots: values.direct ? 0 : clientSlots,
    runs,
    ready_s: figures(ready),
    teardown_s: figures(teardown),
    ready_all_s: ready.map((x) => Number(x.toFixed(2))),
  }),
);
