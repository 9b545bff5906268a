/**
 * Every history parser on random, mutated and structurally nasty input: it returns a history or throws a
 * BadInputError whose message is one short line — never another error, a stack overflow or a hang — and
 * what it returns goes through the checkers to a JSON-serializable verdict. Runs per property are in RUNS.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { BadInputError } from "../../kernel/errors.ts";
import { checkHistory } from "../check-history.ts";
import { parseHistory } from "./index.ts";
import type { Format } from "./parsed.ts";
import { parseResourceLog } from "./resource-log.ts";

/** Runs per property; ZK_CHAOS_FUZZ_SCALE=10 fuzzes ten times longer. */
const SCALE = Math.max(1, Number(process.env.ZK_CHAOS_FUZZ_SCALE) || 1);
const RUNS = {
  random: 1500 * SCALE,
  mutated: 2500 * SCALE,
  structured: 1500 * SCALE,
  resource: 1500 * SCALE,
};
/** Wall-clock cap per input, parse and check together (generous: CI machines are slow). */
const MAX_MS_PER_INPUT = 1500;

const CORPUS: Record<Format, string[]> = {
  jsonl: [
    '{"index":0,"time":1000,"process":0,"type":"invoke","f":"write","value":3}\n' +
      '{"index":1,"time":2000,"process":1,"type":"invoke","f":"read","value":null}\n' +
      '{"index":2,"time":3000,"process":0,"type":"ok","f":"write","value":3,"session":"0x1000a","node":"zk1"}\n' +
      '{"index":3,"time":3500,"process":"nemesis","type":"info","f":"start-partition","value":["zk1"]}\n' +
      '{"index":4,"time":4000,"process":1,"type":"ok","f":"read","value":3}\n' +
      '{"index":5,"time":5000,"process":2,"type":"invoke","f":"cas","value":[3,4]}\n' +
      '{"index":6,"time":6000,"process":2,"type":"info","f":"cas","value":[3,4],"error":"ZCONNECTIONLOSS"}\n',
    '{"index":0,"time":1,"process":0,"type":"invoke","f":"acquire","value":null}\n' +
      '{"index":1,"time":2,"process":0,"type":"ok","f":"acquire","value":{"token":4294967301}}\n' +
      '{"index":2,"time":3,"process":0,"type":"invoke","f":"enqueue","value":7}\n' +
      '{"index":3,"time":4,"process":0,"type":"ok","f":"enqueue","value":7}\n' +
      '{"index":4,"time":5,"process":1,"type":"invoke","f":"drain","value":null}\n' +
      '{"index":5,"time":6,"process":1,"type":"ok","f":"drain","value":[7]}\n',
  ],
  "jepsen-edn": [
    "[{:index 0 :type :invoke :process 0 :f :write :value 1}\n" +
      " {:index 1 :type :ok :process 0 :f :write :value 1}\n" +
      ' #jepsen.history.Op{:type :info, :process :nemesis, :f :kill, :value #{"n1"}}\n' +
      " {:index 2 :type :invoke :process 1 :f :cas :value [1 2] :time 99N}\n" +
      " {:index 3 :type :fail :process 1 :f :cas :value [1 2]} ; comment\n" +
      " #_{:discarded 1}\n" +
      " {:index 4 :type :invoke :process 2 :f :txn :value [[:r :x nil] [:w :y 2]]}]\n",
    "{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type :ok, :f :read, :value 3.5M}\n" +
      '{:process 1, :type :invoke, :f :add, :value \\a}\n{:process 1, :type :info, :f :add, :value "x\\ty"}\n',
  ],
  "porcupine-etcd": [
    "INFO  jepsen.util - 0\t:invoke\t:read\tnil\n" +
      "INFO  jepsen.util - 0\t:ok\t:read\t3\n" +
      "INFO  jepsen.util - :nemesis\t:info\t:start\tnil\n" +
      "INFO  jepsen.util - 1\t:invoke\t:cas\t[3 4]\n" +
      "INFO  jepsen.util - 1\t:fail\t:cas\t[3 4]\n" +
      "INFO  jepsen.util - 2 :invoke :write 5\n" +
      "INFO  jepsen.util - 2 :info :write :timed-out\n" +
      "INFO  jepsen.core - some setup line\n",
  ],
  "porcupine-kv": [
    '{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}\n' +
      '{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}\n' +
      '{:process 1, :type :invoke, :f :get, :key "0", :value nil}\n' +
      '{:process 1, :type :ok, :f :get, :key "0", :value "x 0 0 y"}\n' +
      '{:process 2, :type :invoke, :f :put, :key "1", :value "z"}\n',
  ],
};
const FORMAT_LIST = Object.keys(CORPUS) as Format[];

/** Tokens that break parsers: delimiters, escapes, non-numbers, huge numbers, lone surrogates, nesting. */
const NASTY = [
  "\n",
  "\r\n",
  "\r",
  "\u2028",
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  '"',
  "\\",
  "\\u",
  "\\u12",
  "#",
  "#_",
  "#{",
  "#tag ",
  "##Inf",
  ":",
  "::",
  ",",
  ";",
  "nil",
  "NaN",
  "Infinity",
  "-0",
  "1e999",
  "-1e999",
  "1/0",
  "1N",
  "1.5M",
  "9".repeat(400),
  "9".repeat(1200),
  "9007199254740993",
  "\u0000",
  "\uD800",
  "\uFEFF",
  "__proto__",
  '"__proto__"',
  "constructor",
  "[".repeat(3000),
  "{".repeat(3000),
  "#_".repeat(3000),
  "#_[".repeat(600),
  '{"a":'.repeat(2000),
  "INFO jepsen.util - ",
  " :invoke :read ",
  '"type":"ok"',
  ":type :ok",
  '"process":"nemesis"',
  "a".repeat(5000),
];

const junk = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: "binary", maxLength: 8 }),
  fc.string({ unit: "grapheme-ascii", maxLength: 8 }),
);

/** One edit of a text: insert, delete, truncate, flip a character, duplicate a slice. */
type Edit = (t: string) => string;
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.tuple(fc.nat(), junk).map(([at, s]): Edit => (t) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + s + t.slice(i);
  }),
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([at, n]): Edit => (t) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + t.slice(i + n);
  }),
  fc.nat().map(
    (at): Edit =>
      (t) =>
        t.slice(0, at % (t.length + 1)),
  ),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 0xffff })).map(([at, code]): Edit => (t) => {
    if (t.length === 0) return t;
    const i = at % t.length;
    return t.slice(0, i) + String.fromCharCode(code) + t.slice(i + 1);
  }),
  fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 20 })).map(([a, b, times]): Edit => (t) => {
    const i = a % (t.length + 1);
    const j = Math.min(t.length, i + (b % 200));
    return t.slice(0, j) + t.slice(i, j).repeat(times) + t.slice(j);
  }),
);

const mutatedOf = (texts: readonly string[]) =>
  fc
    .tuple(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 8 }))
    .map(([t, edits]) => edits.reduce((acc, e) => e(acc), t));

/** Raw JSON values, valid or not, for each field of a JSONL op line. */
const jsonToken = fc.oneof(
  fc.constantFrom(
    "0",
    "-1",
    "7",
    "1e308",
    "1e999",
    "NaN",
    "-0",
    "9007199254740993",
    "null",
    "true",
    "[]",
    "{}",
    "[1,2]",
    "[1]",
    '"x"',
    '""',
    '"invoke"',
    '"ok"',
    '"fail"',
    '"info"',
    '"nemesis"',
    '"read"',
    '"write"',
    '"cas"',
    '"acquire"',
    '"release"',
    '"enqueue"',
    '"drain"',
    '"txn"',
    '{"token":"18446744073709551615"}',
    '{"__proto__":{"valid":false}}',
    "[".repeat(2000) + "]".repeat(2000),
    '"0x1000a"',
  ),
  fc.json({ maxDepth: 3 }),
);
const JSONL_KEYS = ["index", "time", "process", "type", "f", "value", "session", "node", "error"];
const jsonlText = fc
  .array(
    fc
      .array(fc.tuple(fc.constantFrom(...JSONL_KEYS), jsonToken), { maxLength: 9 })
      .map((fields) => `{${fields.map(([k, v]) => `"${k}":${v}`).join(",")}}`),
    { maxLength: 12 },
  )
  .map((lines) => lines.join("\n") + "\n");

/** EDN forms, valid or not, for each key of an op map. */
const ednToken = fc.constantFrom(
  "0",
  "-1",
  "7",
  "1N",
  "99999999999999999999",
  "1.5M",
  "1/2",
  "1/0",
  "1e999",
  "nil",
  "true",
  ":invoke",
  ":ok",
  ":fail",
  ":info",
  ":nemesis",
  ":read",
  ":write",
  ":cas",
  ":get",
  ":put",
  ":append",
  ":txn",
  '"0"',
  '"x 0 0 y"',
  "\\a",
  "\\newline",
  "#{1 2}",
  "[1 2]",
  "(1 2)",
  "{:a 1}",
  "[[:r :x nil] [:w :y 2]]",
  '#inst "2020"',
  "#_ 1 2",
  "sym",
  "{:__proto__ {:valid false}}",
  "[".repeat(600) + "]".repeat(600),
);
const EDN_KEYS = [":index", ":time", ":process", ":type", ":f", ":value", ":key", ":error", '"process"', "1"];
const ednMaps = fc.array(
  fc
    .array(fc.tuple(fc.constantFrom(...EDN_KEYS), ednToken), { maxLength: 8 })
    .map((kvs) => `{${kvs.map(([k, v]) => `${k} ${v}`).join(", ")}}`),
  { maxLength: 12 },
);
const ednText = fc.oneof(
  ednMaps.map((ms) => ms.join("\n") + "\n"),
  ednMaps.map((ms) => `[${ms.join("\n ")}]\n`),
);

const etcdText = fc
  .array(
    fc
      .tuple(
        fc.constantFrom("0", "1", "12", ":nemesis", "99999999999999999999", "-1", ""),
        fc.constantFrom(":invoke", ":ok", ":fail", ":info", ":start", "invoke"),
        fc.constantFrom(":read", ":write", ":cas", ":txn"),
        fc.constantFrom("nil", "3", "[1 2]", "[1  2]", ":timed-out", "[1]", "99999999999999999999", "x"),
        fc.constantFrom("\t", " ", "   "),
      )
      .map(([p, t, f, v, sp]) => `INFO  jepsen.util - ${p}${sp}${t}${sp}${f}${sp}${v}`),
    { maxLength: 12 },
  )
  .map((ls) => ls.join("\n") + "\n");

let inputs = 0;
let slowest = 0;

/** Parse (and check what parses): a one-line BadInputError or a verdict, in bounded time. */
async function parseAndCheck(text: string, format: Format | undefined, file = "fuzz.txt"): Promise<void> {
  const t0 = performance.now();
  inputs++;
  let parsed;
  try {
    parsed = parseHistory(text, file, format);
  } catch (e) {
    expectBadInput(e);
    return;
  } finally {
    slowest = Math.max(slowest, performance.now() - t0);
  }
  for (const w of parsed.warnings) expect(w).not.toMatch(/[\r\n]/);
  const workload = ["register", "lock", "queue", "election", "exporter", "toString", "__proto__", undefined][
    inputs % 8
  ];
  const res = await checkHistory(parsed.history, {
    format: parsed.format,
    clock: parsed.clock,
    timeoutMs: 200,
    ...(workload !== undefined ? { workload } : {}),
  });
  expect([true, false, "unknown"]).toContain(res.valid);
  expect(() => JSON.stringify(res)).not.toThrow();
  const ms = performance.now() - t0;
  slowest = Math.max(slowest, ms);
  expect(ms).toBeLessThan(MAX_MS_PER_INPUT);
}

function expectBadInput(e: unknown): void {
  if (!(e instanceof BadInputError)) throw e;
  expect(e.message).not.toMatch(/[\r\n\u2028\u2029]/);
  expect(e.message.length).toBeLessThanOrEqual(400);
  expect(e.message).not.toMatch(/\bat .*\.ts:\d+/);
}

afterAll(() => {
  console.log(`parser fuzz: ${inputs} inputs, slowest ${slowest.toFixed(1)} ms`);
});

describe.each([...FORMAT_LIST, undefined])("parser fuzzing, format %s", (format) => {
  const name = format ?? "auto";
  const corpus = format ? CORPUS[format] : Object.values(CORPUS).flat();

  it(`${name}: random text (${RUNS.random} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 300 }),
          fc.string({
            unit: fc.constantFrom(...'{}[]()":,; \n\t#_\\-.0123456789eEnilNaM:abkfptvy'),
            maxLength: 300,
          }),
          fc.array(junk, { maxLength: 30 }).map((a) => a.join("")),
        ),
        (text) => parseAndCheck(text, format),
      ),
      { numRuns: RUNS.random },
    );
  });

  it(`${name}: mutated valid histories (${RUNS.mutated} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(mutatedOf(corpus), (text) => parseAndCheck(text, format)),
      { numRuns: RUNS.mutated },
    );
  });

  const structured =
    format === "jsonl"
      ? jsonlText
      : format === "porcupine-etcd"
        ? etcdText
        : format === undefined
          ? fc.oneof(jsonlText, ednText, etcdText)
          : ednText;
  it(`${name}: well-formed text with wrong types, huge numbers and deep nesting (${RUNS.structured} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(structured, fc.boolean(), (text, torn) =>
        parseAndCheck(torn ? text.slice(0, -1 - (text.length % 7)) : text, format),
      ),
      { numRuns: RUNS.structured },
    );
  });
});

describe("resource log fuzzing", () => {
  it(`random, mutated and structured lines (${RUNS.resource} runs)`, () => {
    const resource = fc.oneof(
      mutatedOf([
        '{"seq":0,"time":1,"op":"enter","key":"k","holder":"c0/0x1","token":5,"accepted":true,"applied":false}\n' +
          '{"seq":1,"time":2,"op":"exit","key":"k","holder":"c0/0x1","token":5,"accepted":true,"applied":true}\n',
      ]),
      jsonlText.map((t) => t.replace(/"index"/g, '"accepted"').replace(/"f"/g, '"holder"')),
    );
    fc.assert(
      fc.property(resource, (text) => {
        inputs++;
        try {
          const events = parseResourceLog(text, "resource.jsonl");
          expect(() => JSON.stringify(events)).not.toThrow();
        } catch (e) {
          expectBadInput(e);
        }
      }),
      { numRuns: RUNS.resource },
    );
  });
});

describe("pathological sizes", () => {
  const cases: [string, Format][] = [
    ["[".repeat(200_000), "jepsen-edn"],
    ["{".repeat(200_000), "jepsen-edn"],
    ["#_ a ".repeat(100_000) + "{:process 0 :type :invoke :f :read}\n", "jepsen-edn"],
    ["[" + "#_ a ".repeat(100_000) + "]\n", "jepsen-edn"],
    ["#_[".repeat(100_000), "jepsen-edn"],
    ["#t ".repeat(100_000) + "1", "jepsen-edn"],
    [`{:process 0 :type :invoke :f :read :value ${"7".repeat(2_000_000)}}\n`, "jepsen-edn"],
    [`"${"a".repeat(2_000_000)}`, "jepsen-edn"],
    ["[".repeat(200_000), "jsonl"],
    [
      `{"index":0,"time":1,"process":0,"type":"invoke","f":"read","value":${"[".repeat(50_000)}${"]".repeat(50_000)}}\n`,
      "jsonl",
    ],
    [`INFO jepsen.util - ${"1".repeat(100_000)} :invoke :read nil\n`, "porcupine-etcd"],
    [
      `INFO${" ".repeat(100_000)}jepsen.util${" ".repeat(100_000)}-${" ".repeat(100_000)}x\n`,
      "porcupine-etcd",
    ],
    [`{${" :key ".repeat(50_000)}`, "porcupine-kv"],
  ];
  it.each(cases.map(([text, format], i) => ({ i, text, format })))(
    "case $i as $format",
    async ({ text, format }) => {
      await parseAndCheck(text, format);
    },
  );
});
