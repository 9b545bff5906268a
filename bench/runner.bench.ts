/**
 * Runner throughput: ops/s of the register workload's op mix on a healthy 3-node ensemble (no nemesis, no
 * rate limit), and where the ops/s go between a bare client loop and the harness:
 *   raw direct   — N native clients in this process, a loop of read/write/cas, servers unproxied;
 *   raw proxied  — the same loop through the run's proxied per-client links (the proxy's cost);
 *   harness off  — a run (worker processes, IPC, pacing, checks of each op) with history recording off;
 *   harness on   — the same with recording on (the recording's overhead).
 * Usage: npm run bench:runner [-- --seconds 20 --clients 4 --rounds 1]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { dockerClusters } from "../docker/chaos-cluster.ts";
import { ensureZooKeeperImage } from "../docker/images.ts";
import { ZooKeeperEnsemble } from "../docker/zookeeper-ensemble.ts";
import { runOnDocker } from "../harness/cli/run-on-docker.ts";
import { DEFAULT_SPEC } from "../harness/runner/test-spec.ts";
import { Random } from "../kernel/random.ts";
import { median } from "./stats.ts";
import { registerWorkload } from "../workloads/register/index.ts";
import registerClient from "../workloads/register/client.ts";
import type { WorkerContext } from "../workloads/workload.ts";
import { createClient } from "../workloads/zk/index.ts";

process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    clients: { type: "string", default: "4" },
    rounds: { type: "string", default: "1" },
  },
});
const results = mkdtempSync(join(tmpdir(), "zk-chaos-bench-runner-"));
const base = {
  workload: "register",
  variant: "plain",
  nemesis: ["none"],
  timeLimit: Number(values.seconds),
  clients: Number(values.clients),
  rate: 0,
  seed: 1,
  results,
};
/**
 * ops/s of `clients` native sessions, each running the register workload's own ops (its generator and its
 * client code, as a worker runs them) back to back, in this process.
 */
async function rawLoop(connectStringFor: (slot: number) => string): Promise<number> {
  const contexts = await Promise.all(
    Array.from({ length: base.clients }, async (_, slot): Promise<WorkerContext> => {
      const connectString = connectStringFor(slot);
      const zk = await createClient("zookeeper", {
        connectString,
        sessionTimeoutMs: DEFAULT_SPEC.sessionTimeoutMs,
      });
      return {
        zk,
        resource: { access: () => Promise.reject(new Error("the register has no resource")) },
        slot,
        process: slot,
        variant: base.variant,
        options: {},
        connectString,
        sessionTimeoutMs: DEFAULT_SPEC.sessionTimeoutMs,
        driver: "zookeeper",
        now: () => 0,
        reconnect: () => Promise.reject(new Error("a bench session does not reconnect")),
      };
    }),
  );
  const client = registerClient(base.variant);
  try {
    // Every session sets up (idempotent), so its own reads see the znode whichever server serves them.
    for (const ctx of contexts) await client.setup!(ctx);
    let ops = 0;
    const end = performance.now() + base.timeLimit * 1000;
    await Promise.all(
      contexts.map(async (ctx) => {
        const random = new Random(ctx.slot + 1);
        for (let n = 0; performance.now() < end; n++) {
          // A cas on a stale version fails, as it does under the harness: it still counts as an op.
          await client.invoke(ctx, registerWorkload.nextOp(random, n)).catch(() => undefined);
          ops++;
        }
      }),
    );
    return ops / base.timeLimit;
  } finally {
    await Promise.all(contexts.map((ctx) => ctx.zk.close().catch(() => undefined)));
  }
}

async function rawDirect(): Promise<number> {
  const e = await new ZooKeeperEnsemble(await ensureZooKeeperImage()).withNodes(3).start();
  try {
    return await rawLoop(() => e.connectString());
  } finally {
    await e.stopAll();
  }
}

async function rawProxied(): Promise<number> {
  const spec = { nodes: 3, tickTimeMs: DEFAULT_SPEC.tickTimeMs, clientSlots: base.clients };
  const cluster = await dockerClusters.start(spec, await dockerClusters.prepare(spec));
  try {
    return await rawLoop((slot) => cluster.clientConnectString(slot));
  } finally {
    await cluster.close();
  }
}

const harness = async (recordHistory: boolean): Promise<number> =>
  (await runOnDocker(base, { recordHistory })).throughput;

const stages: [string, () => Promise<number>][] = [
  ["raw_direct", rawDirect],
  ["raw_proxied", rawProxied],
  ["harness_not_recording", () => harness(false)],
  ["harness_recording", () => harness(true)],
];
const samples = new Map<string, number[]>(stages.map(([name]) => [name, []]));
// The two harness stages swap places every other round, so that a drift over a round (the host's load, the
// engine's state) does not fall on the same one each time.
const inOrder = (round: number) =>
  round % 2 === 1 ? stages : [stages[0]!, stages[1]!, stages[3]!, stages[2]!];
for (let round = 1; round <= Number(values.rounds); round++)
  for (const [name, stage] of inOrder(round)) {
    const opsPerS = await stage();
    samples.get(name)!.push(opsPerS);
    process.stderr.write(`round ${round}: ${name} ${opsPerS.toFixed(0)} ops/s\n`);
  }
const m = Object.fromEntries([...samples].map(([name, xs]) => [name, Math.round(median(xs))])) as Record<
  string,
  number
>;
const pct = (from: number, to: number): number => Math.round(((from - to) / from) * 1000) / 10;
console.log(
  JSON.stringify({
    bench: "runner",
    workload: "register",
    nodes: 3,
    clients: base.clients,
    seconds: base.timeLimit,
    rounds: Number(values.rounds),
    ops_per_s: m,
    // Each step's share of the ops/s lost between the bare loop and the recorded run.
    proxy_cost_pct: pct(m.raw_direct!, m.raw_proxied!),
    harness_cost_pct: pct(m.raw_proxied!, m.harness_not_recording!),
    recording_overhead_pct: pct(m.harness_not_recording!, m.harness_recording!),
  }),
);
