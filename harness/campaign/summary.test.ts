import { describe, expect, it } from "vitest";
import type { CampaignRun } from "./matrix.ts";
import type { RunRecord } from "./record.ts";
import { summaryTable, versionLines } from "./summary.ts";
import type { Verdict } from "./verdict.ts";

let index = 0;
const rec = (
  variant: string,
  zkVersion: CampaignRun["zkVersion"],
  seed: number,
  verdict: Verdict,
  zookeeperVersion?: string,
): RunRecord => ({
  run: { index: ++index, workload: "register", variant, nemesis: ["partition"], seed, zkVersion },
  verdict,
  seconds: 30,
  spec: {},
  ...(zookeeperVersion ? { zookeeperVersion } : {}),
});

describe("summaryTable", () => {
  it("shows the version the servers reported, else the line asked for", () => {
    const table = summaryTable([
      rec("sync", "3.4", 1, "valid", "3.4.13-6--1"),
      rec("sync", "3.9", 1, "valid"),
    ]);
    const [head, first, second] = table.split("\n");
    expect(head).toMatch(/^#\s+run\s+nemesis\s+zk\s+seed/);
    expect(first).toMatch(/register\.sync\s+partition\s+3\.4\.13\s+1\s+valid/);
    expect(second).toMatch(/register\.sync\s+partition\s+3\.9\s+1\s+valid/);
  });
});

describe("versionLines", () => {
  it("nothing for a campaign of one line", () => {
    expect(versionLines([rec("sync", "3.8", 1, "valid"), rec("plain", "3.8", 1, "invalid")])).toEqual([]);
  });

  it("each cell's verdicts per line, seeds in order, the cells whose lines disagree first", () => {
    const lines = versionLines([
      rec("sync", "3.4", 2, "valid"),
      rec("sync", "3.4", 1, "valid"),
      rec("sync", "3.9", 1, "valid"),
      rec("sync", "3.9", 2, "valid"),
      rec("plain", "3.4", 1, "invalid"),
      rec("plain", "3.4", 2, "valid"),
      rec("plain", "3.9", 1, "invalid"),
      rec("plain", "3.9", 2, "invalid"),
    ]);
    expect(lines).toEqual([
      "by ZooKeeper version (verdicts per seed; ≠: the lines disagree): 1 of 2 cells differ",
      "≠ register.plain partition  3.4: INVALID valid | 3.9: INVALID INVALID",
      "= register.sync partition  3.4: valid valid | 3.9: valid valid",
    ]);
  });

  it("the same verdicts in another seed order are no difference; a missing line shows as - and is no evidence", () => {
    const lines = versionLines([
      rec("plain", "3.4", 1, "invalid"),
      rec("plain", "3.4", 2, "valid"),
      rec("plain", "3.8", 1, "valid"),
      rec("plain", "3.8", 2, "invalid"),
      rec("sync", "3.8", 1, "valid"),
    ]);
    expect(lines[0]).toMatch(/0 of 2 cells differ/);
    expect(lines).toContain("= register.plain partition  3.4: INVALID valid | 3.8: valid INVALID");
    expect(lines).toContain("= register.sync partition  3.4: - | 3.8: valid");
  });
});
