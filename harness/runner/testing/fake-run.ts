/** What the runner's fake-cluster tests share: a fake environment, temp folders, the recorded history. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Op } from "../../../kernel/op.ts";
import type { RunEnvironment } from "../run.ts";
import { FakeClusters } from "./fake-clusters.ts";
import { InProcessClients } from "./in-process-clients.ts";

export const tmp = (): string => mkdtempSync(join(tmpdir(), "zk-chaos-runner-"));

export const history = (dir: string): Op[] =>
  readFileSync(join(dir, "history.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Op);

/** A fake environment: FakeCluster ensembles, in-process clients, and what the runner did with them. */
export function fakeEnvironment() {
  const clusters = new FakeClusters();
  const pools: InProcessClients[] = [];
  const after: string[] = [];
  const env: RunEnvironment = {
    clusters,
    clients: (n) => {
      const pool = new InProcessClients(n);
      pools.push(pool);
      return pool;
    },
    afterRun: (dir) => void after.push(dir),
  };
  return { env, clusters, pools, after };
}

/** The runner's phase marks, in order. */
export const marks = (ops: readonly Op[]): unknown[] =>
  ops.filter((o) => o.process === "nemesis" && o.f === "phase" && o.type === "info").map((o) => o.value);

/** A short run: 3 s at 50 ops/s on 3 clients, a fault a second. */
export const base = { timeLimit: 3, rate: 50, clients: 3, nemesisInterval: 1, seed: 3 };
