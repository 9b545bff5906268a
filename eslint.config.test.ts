/** The dependency table in eslint.config.js holds: a sample of imports each part may and may not make. */
import { join } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });

/** The no-restricted-imports messages for one import line in a file at `path`. */
async function restricted(path: string, from: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import "${from}";\n`, { filePath: join(process.cwd(), path) });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the dependency table", () => {
  it.each([
    ["kernel/x.ts", "../checkers/checker.ts"],
    ["kernel/x.ts", "../harness/runner/run.ts"],
    ["checkers/x.ts", "../workloads/workload.ts"],
    ["checkers/x.ts", "../harness/history/writer.ts"],
    ["checkers/formats/x.ts", "node:child_process"],
    ["workloads/lock/x.ts", "../../harness/runner/run.ts"],
    ["workloads/x.ts", "../docker/images.ts"],
    ["workloads/x.test.ts", "../docker/images.ts"],
    ["docker/x.ts", "../workloads/zk/index.ts"],
    ["docker/x.ts", "../harness/nemesis/nemesis.ts"],
    ["report/x.ts", "../harness/runner/run.ts"],
    ["report/x.ts", "node:http"],
    ["report/x.ts", "node:worker_threads"],
    ["report/serve.ts", "node:https"],
    ["report/serve.ts", "node:child_process"],
    ["kernel/x.ts", "node:net"],
    ["toxiproxy/x.ts", "../docker/engine.ts"],
    ["harness/runner/x.ts", "../../docker/chaos-cluster.ts"],
    ["harness/runner/x.ts", "../../report/report-page.ts"],
    ["harness/runner/x.ts", "../cli/program.ts"],
    ["harness/nemesis/x.ts", "../runner/run.ts"],
    ["harness/nemesis/x.ts", "dockerode"],
    ["harness/campaign/x.ts", "../../docker/images.ts"],
    ["examples/x/x.ts", "../../harness/runner/run.ts"],
  ])("%s may not import %s", async (path, from) => {
    expect(await restricted(path, from)).toHaveLength(1);
  });

  it.each([
    ["checkers/x.ts", "../kernel/op.ts"],
    ["workloads/lock/x.ts", "../../checkers/checker.ts"],
    ["docker/x.ts", "../toxiproxy/server.ts"],
    ["report/x.ts", "../checkers/checker.ts"],
    ["report/serve.ts", "node:http"],
    ["kernel/x.ts", "node:child_process"],
    ["harness/runner/x.ts", "../nemesis/nemesis.ts"],
    ["harness/runner/x.ts", "../../workloads/workload.ts"],
    ["harness/campaign/x.ts", "../runner/run.ts"],
    ["harness/cli/x.ts", "../../docker/images.ts"],
    ["integration/x.test.ts", "../docker/images.ts"],
    ["toxiproxy/testing/x.ts", "toxiproxy-node-client"],
  ])("%s may import %s", async (path, from) => {
    expect(await restricted(path, from)).toEqual([]);
  });
});
