/**
 * Runner throughput: ops/s of the register workload on a healthy 3-node ensemble (through the proxies,
 * no nemesis, no rate limit), with history recording on and off, and the recording's overhead.
 * Usage: npm run bench:runner [-- --seconds 20 --clients 4]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runOnDocker } from "../harness/cli/run-on-docker.ts";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "20" }, clients: { type: "string", default: "4" } },
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
const measure = async (recordHistory: boolean) => {
  const out = await runOnDocker(base, { recordHistory });
  process.stderr.write(`recording ${recordHistory ? "on " : "off"}: ${out.throughput.toFixed(0)} ops/s\n`);
  return out.throughput;
};
const off = await measure(false);
const on = await measure(true);
console.log(
  JSON.stringify({
    bench: "runner",
    workload: "register",
    nodes: 3,
    clients: base.clients,
    seconds: base.timeLimit,
    ops_per_s_recording: Math.round(on),
    ops_per_s_not_recording: Math.round(off),
    overhead_pct: Math.round(((off - on) / off) * 1000) / 10,
  }),
);
