/**
 * Golden verdicts that ship with the project (checkers/testing/golden/, written by us in Knossos's EDN and
 * Porcupine's two log formats), so a fresh clone checks real verdicts; the larger outside corpus is in
 * corpus.test.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseHistory } from "../formats/index.ts";
import { checkLinearizable } from "./linearizable.ts";
import { modelByName } from "./models/index.ts";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../testing/golden");
const entries = readFileSync(path.join(dir, "MANIFEST.tsv"), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split("\t") as [string, string, string, string, string?]);
/** The model of an entry, from its initial state when the manifest gives one (JSON, as `check --init`). */
const modelOf = (model: string, init: string | undefined) =>
  modelByName(model, init ? (JSON.parse(init) as unknown) : undefined)!;

describe("golden histories", () => {
  it("has valid and invalid histories of each format", () => {
    const formats = (valid: string) =>
      new Set(
        entries
          .filter((e) => e[2] === valid)
          .map(([f]) => parseHistory(readFileSync(path.join(dir, f), "utf8"), f).format),
      );
    expect(formats("true")).toEqual(new Set(["jepsen-edn", "porcupine-etcd", "porcupine-kv"]));
    expect(formats("false")).toEqual(formats("true"));
  });

  for (const [file, model, expected, why, init] of entries) {
    it(`${file}: ${expected === "true" ? "linearizable" : "not linearizable"} (${why})`, () => {
      const p = parseHistory(readFileSync(path.join(dir, file), "utf8"), file);
      const r = checkLinearizable(p.history, modelOf(model, init), { clock: p.clock });
      expect(r.valid).toBe(expected === "true");
      if (expected === "false") expect(r.evidence?.failedOp).toBeDefined();
    });
  }

  it("a history that starts from a given state is linearizable only from that state", () => {
    const file = "knossos-multi-init-ok.edn";
    const p = parseHistory(readFileSync(path.join(dir, file), "utf8"), file);
    const from = (init?: string) =>
      checkLinearizable(p.history, modelOf("multi-register", init), { clock: p.clock });
    expect(from('{"x":0,"y":0}').valid).toBe(true);
    const bare = from();
    expect(bare.valid).toBe(false);
    // from nothing, the very first read (of 0s) has no explanation
    expect(bare.evidence?.failedOp.op).toBe("txn([r x 0] [r y 0])");
    expect(from('{"x":0,"y":1}').valid).toBe(false);
  });
});
