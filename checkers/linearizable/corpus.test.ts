/**
 * Golden verdicts: every file with a verdict in ../shared/corpus/<folder>/MANIFEST.tsv must get it.
 * The corpus stays outside the project; where it is absent (a user's clone) these tests are skipped.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseHistory } from "../formats/index.ts";
import { checkLinearizable } from "./linearizable.ts";
import { modelByName } from "./models/index.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const corpus = path.resolve(repoRoot, "../shared/corpus");

function manifest(dir: string): [string, boolean | undefined][] {
  return readFileSync(path.join(dir, "MANIFEST.tsv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split("\t"))
    .map(([f, v]) => [f!, v === "true" ? true : v === "false" ? false : undefined]);
}

for (const [folder, model] of [
  ["porcupine-etcd", "cas-register"],
  ["porcupine-kv", "kv"],
] as const) {
  const dir = path.join(corpus, folder);
  const present = existsSync(path.join(dir, "MANIFEST.tsv"));
  const title = present
    ? `corpus ${folder}`
    : `corpus ${folder} — skipped: ${dir} not found (it stays outside the project)`;
  describe.skipIf(!present)(title, () => {
    const entries = present ? manifest(dir) : [];
    for (const [file, expected] of entries) {
      if (expected === undefined) {
        it(`${file} has no verdict and an empty history`, () => {
          const p = parseHistory(readFileSync(path.join(dir, file), "utf8"), file);
          expect(p.history).toHaveLength(0);
        });
        continue;
      }
      it(`${file} is ${expected ? "linearizable" : "not linearizable"}`, () => {
        const p = parseHistory(readFileSync(path.join(dir, file), "utf8"), file);
        const r = checkLinearizable(p.history, modelByName(model)!, { clock: p.clock, timeoutMs: 60_000 });
        expect(r.valid).toBe(expected);
        if (!expected) expect(r.evidence?.failedOp).toBeDefined();
      });
    }
    if (folder === "porcupine-kv") {
      for (const file of ["c10-ok.txt", "c10-bad.txt"]) {
        it(`${file} gets the same verdict unpartitioned`, () => {
          const p = parseHistory(readFileSync(path.join(dir, file), "utf8"), file);
          const r = checkLinearizable(p.history, modelByName("kv")!, {
            clock: p.clock,
            partition: false,
            timeoutMs: 60_000,
          });
          expect(r.valid).toBe(file.includes("-ok"));
        });
      }
    }
  });
}
