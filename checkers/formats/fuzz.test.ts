/**
 * Parsers on random and mutated input: they either return a history or throw a BadInputError whose
 * message is one line — nothing else, and never hang (vitest's timeout would catch a hang).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BadInputError } from "../../harness/core/errors.ts";
import { parseHistory } from "./index.ts";
import { parseResourceLog } from "./resource-log.ts";
import { FORMATS } from "./parsed.ts";

const samples = [
  '{"index":0,"time":1,"process":0,"type":"invoke","f":"read","value":null}\n{"index":1,"time":2,"process":0,"type":"ok","f":"read","value":[1,{"a":2}]}\n',
  "INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2]\nINFO  jepsen.util - 0\t:fail\t:cas\t[1 2]\n",
  '{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}\n{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}\n',
  '[{:index 0 :type :invoke :process 0 :f :txn :value [[:r :x nil] [:w :y 2]]} #jepsen.history.Op{:type :ok, :process :nemesis, :f :kill, :value #{"n1"}}]\n',
];

function onlyBadInput(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof BadInputError)) throw e;
    expect(e.message).not.toContain("\n");
  }
}

const mutated = fc
  .tuple(
    fc.constantFrom(...samples),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ maxLength: 4 })), { maxLength: 6 }),
  )
  .map(([s, edits]) => {
    let t = s;
    for (const [at, del, ins] of edits) {
      const i = at % (t.length + 1);
      t = t.slice(0, i) + ins + t.slice(i + del);
    }
    return t;
  });

describe("parser fuzzing", () => {
  it("random text: a history or a one-line BadInputError, for every format", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.constantFrom(undefined, ...FORMATS),
        (text, format) => {
          onlyBadInput(() => parseHistory(text, "fuzz", format));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("mutated valid histories: the same", () => {
    fc.assert(
      fc.property(mutated, fc.constantFrom(undefined, ...FORMATS), (text, format) => {
        onlyBadInput(() => parseHistory(text, "fuzz", format));
      }),
      { numRuns: 1000 },
    );
  });

  it("resource logs: the same", () => {
    fc.assert(
      fc.property(mutated, (text) => {
        onlyBadInput(() => parseResourceLog(text, "fuzz"));
      }),
      { numRuns: 300 },
    );
  });

  it("deep nesting and huge tokens do not blow the stack or hang", () => {
    onlyBadInput(() => parseHistory("[".repeat(100_000), "deep.edn", "jepsen-edn"));
    onlyBadInput(() => parseHistory("{".repeat(100_000), "deep.edn", "jepsen-edn"));
    onlyBadInput(() => parseHistory(`"${"a".repeat(1_000_000)}`, "big.edn", "jepsen-edn"));
    onlyBadInput(() => parseHistory("[".repeat(100_000), "deep.jsonl", "jsonl"));
  });
});
