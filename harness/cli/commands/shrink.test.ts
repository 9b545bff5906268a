import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BadInputError } from "../../../kernel/errors.ts";
import { shrinkCommand } from "./shrink.ts";

function runDir(results: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "zk-chaos-shrink-"));
  writeFileSync(
    join(dir, "test.json"),
    JSON.stringify({ workload: "lock", nemesis: ["partition"], seed: 3 }),
  );
  if (results !== undefined) writeFileSync(join(dir, "results.json"), JSON.stringify(results));
  return dir;
}

describe("zk-chaos shrink", () => {
  it.each([
    [{ valid: true }, /only an invalid run can be shrunk \(its verdict is valid\)/],
    [{ valid: "unknown" }, /its verdict is unknown/],
    [undefined, /its verdict is missing: it was never checked/],
  ])(
    "refuses a run that is not invalid (%j) with one line, before starting anything",
    async (results, msg) => {
      const err = await shrinkCommand(runDir(results), {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BadInputError);
      expect((err as Error).message).toMatch(msg);
    },
  );

  it("refuses a folder that is not a run", async () => {
    const err = await shrinkCommand(mkdtempSync(join(tmpdir(), "zk-chaos-shrink-")), {}).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/is not a run folder/);
  });
});
