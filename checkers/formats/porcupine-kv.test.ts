/**
 * The fast path for Porcupine's own layout gives exactly what the EDN reader gives: on Porcupine's kv corpus
 * (../shared/corpus, skipped where absent) and on lines built to sit at its edges.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJepsenEdn } from "./jepsen-edn.ts";
import { parsePorcupineKv } from "./porcupine-kv.ts";

const reader = (text: string) => parseJepsenEdn(text, "f.txt", "porcupine-kv");
const kvDir = path.resolve(import.meta.dirname, "../../../shared/corpus/porcupine-kv");
const present = existsSync(kvDir);

describe("porcupine-kv's fast path", () => {
  it("reads Porcupine's lines as the EDN reader does, string and nil values, in file order", () => {
    const text = [
      '{:process 0, :type :invoke, :f :get, :key "7", :value nil}',
      '{:process 12, :type :invoke, :f :append, :key "", :value "x 12 0 y"}',
      '{:process 0, :type :ok, :f :get, :key "7", :value ""}',
      '{:process 12, :type :info, :f :append, :key "", :value "x 12 0 y"}',
      "",
    ].join("\n");
    const fast = parsePorcupineKv(text, "f.txt");
    expect(fast).toStrictEqual(reader(text));
    expect(fast.history.map((o) => o.value)).toEqual([null, "x 12 0 y", "", "x 12 0 y"]);
    expect(fast.history[1]).toMatchObject({ process: 12, key: "", index: 1, time: 1 });
  });

  it.each([
    ["an escaped string", '{:process 1, :type :ok, :f :put, :key "a\\"b", :value "v"}\n'],
    ["another key", '{:process 1, :type :ok, :f :put, :key "k", :value "v", :time 5}\n'],
    ["keys in another order", '{:type :ok, :process 1, :f :put, :key "k", :value "v"}\n'],
    ["a zero-padded process", '{:process 01, :type :ok, :f :put, :key "k", :value "v"}\n'],
    ["a torn last line", '{:process 1, :type :ok, :f :put, :key "k", :value "v"}\n{:process 1, :type'],
    ["no final newline", '{:process 1, :type :ok, :f :put, :key "k", :value "v"}'],
  ])("leaves %s to the EDN reader: the same result either way", (_, text) => {
    let viaReader: unknown;
    try {
      viaReader = reader(text);
    } catch (e) {
      viaReader = String(e);
    }
    let viaKv: unknown;
    try {
      viaKv = parsePorcupineKv(text, "f.txt");
    } catch (e) {
      viaKv = String(e);
    }
    expect(viaKv).toStrictEqual(viaReader);
  });

  describe.skipIf(!present)(
    present ? "on the kv corpus" : `on the kv corpus — skipped: ${kvDir} not found`,
    () => {
      const files = present ? readdirSync(kvDir).filter((f) => f.endsWith(".txt")) : [];
      it.each(files)("%s: the same ops as the EDN reader", (file) => {
        const text = readFileSync(path.join(kvDir, file), "utf8");
        const fast = parsePorcupineKv(text, file);
        expect(fast.history.length).toBeGreaterThan(0);
        expect(fast).toStrictEqual(parseJepsenEdn(text, file, "porcupine-kv"));
      });
    },
  );
});
