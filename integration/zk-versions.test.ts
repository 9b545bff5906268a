/**
 * One short run per extra ZooKeeper line (3.8, the default, runs in every other container test): the
 * line's image (pulled, or built from Debian packages once, in the hook), a register under partitions, and
 * the servers reporting that version.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureImages } from "../docker/images.ts";
import { runOnDocker } from "../harness/cli/run-on-docker.ts";
import type { ZkVersion } from "../kernel/zk-version.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-versions-test-"));

// CI runs the line furthest from the default (3.4: no dynamic config, an older JVM) to stay within its time;
// ZK_CHAOS_TEST_LINES=3.4,3.9 runs more.
const LINES = (process.env.ZK_CHAOS_TEST_LINES ?? "3.4").split(",").map((l) => l.trim()) as ZkVersion[];

describe.each(LINES)("ZooKeeper %s", { tags: ["docker"] }, (zkVersion) => {
  // A debootstrap takes a minute or two where no registry image can be pulled; later runs reuse the image.
  beforeAll(() => ensureImages({ zkVersion }), 600_000);

  it("register sync stays valid under partitions, and every server runs that version", async () => {
    const out = await runOnDocker({
      workload: "register",
      variant: "sync",
      zkVersion,
      nemesis: ["partition"],
      nemesisInterval: 3,
      timeLimit: 9,
      clients: 3,
      rate: 50,
      seed: 17,
      results: tmp(),
    });
    expect(out.results.valid, `report: ${out.dir}/report.html`).toBe(true);
    expect(out.results.stats["ok"]).toBeGreaterThan(50);
    expect(out.results.zookeeperVersion).toMatch(new RegExp(`^${zkVersion.replace(".", "\\.")}\\.\\d+`));
    expect(JSON.parse(readFileSync(join(out.dir, "test.json"), "utf8"))).toMatchObject({ zkVersion });
    // The servers' own logs say the same (the banner every line prints at start).
    for (const node of ["zk1", "zk2", "zk3"]) {
      const log = readFileSync(join(out.dir, "nodes", `${node}.log`), "utf8");
      expect(log, node).toMatch(new RegExp(`zookeeper\\.version=${zkVersion.replace(".", "\\.")}\\.\\d+`));
    }
  });
});
