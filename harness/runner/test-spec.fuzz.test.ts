/**
 * validateSpec on random and mutated specs (CLI values, test.json files as `repro` reads them): a spec
 * within bounds or a one-line BadInputError — never a TypeError from a value's shape.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { BadInputError } from "../../kernel/errors.ts";
import { NEMESIS_NAMES } from "../nemesis/registry.ts";
import { validateSpec } from "./test-spec.ts";

const SCALE = Math.max(1, Number(process.env.ZK_CHAOS_FUZZ_SCALE) || 1);
const RUNS = { random: 3000 * SCALE, nearlyValid: 3000 * SCALE, testJson: 3000 * SCALE };
const VARIANTS = ["naive", "fenced"];
const KEYS = [
  "workload",
  "variant",
  "nodes",
  "clients",
  "client",
  "timeLimit",
  "rate",
  "nemesis",
  "nemesisInterval",
  "partitionMode",
  "clientPauseMode",
  "target",
  "seed",
  "results",
  "sessionTimeoutMs",
  "tickTimeMs",
  "zkImage",
  "proxyImage",
  "__proto__",
  "constructor",
  "toString",
];

/** Values JSON or a CLI can carry, and some it cannot (null prototypes, poisoned toString, bigints). */
const nasty = fc.oneof(
  fc.anything({ maxDepth: 2, withNullPrototype: true, withBigInt: true, withBoxedValues: true }),
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    1e300,
    2 ** 31,
    2 ** 53 + 2,
    3.5,
    "",
    " ",
    "\n",
    "a\nb",
    "\u0000",
    "x".repeat(100_000),
    "partition,,kill",
    "partition,\nkill",
    ",",
    "none",
    "naive",
    "zookeeper",
    "blackhole",
    "network",
    { toString: 1 },
    { toString: () => "partition" },
    { valueOf: () => 3 },
    Object.create(null) as unknown,
    [["partition"]],
    [1, 2],
    [null],
    [],
    Symbol("s"),
    10n,
    () => 3,
  ),
);

const valid = {
  workload: "lock",
  variant: "fenced",
  nodes: 5,
  clients: 3,
  client: "node-zookeeper-client",
  timeLimit: 30,
  rate: 0,
  nemesis: "partition,kill",
  nemesisInterval: 5,
  partitionMode: "refuse",
  clientPauseMode: "network",
  target: "holder",
  seed: 7,
  results: "results",
  sessionTimeoutMs: 4000,
  tickTimeMs: 500,
};

let runs = 0;
let rejected = 0;

/** The property: a spec within every bound, or a one-line BadInputError. */
function check(raw: unknown): void {
  runs++;
  let spec;
  try {
    spec = validateSpec(raw as never, VARIANTS);
  } catch (e) {
    if (!(e instanceof BadInputError)) throw e;
    rejected++;
    expect(e.message).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(e.message.length).toBeLessThanOrEqual(400);
    return;
  }
  expect(typeof spec.workload).toBe("string");
  expect(VARIANTS).toContain(spec.variant);
  expect(Number.isInteger(spec.nodes) && spec.nodes >= 3 && spec.nodes <= 5).toBe(true);
  expect(Number.isInteger(spec.clients) && spec.clients >= 1 && spec.clients <= 64).toBe(true);
  for (const v of [spec.timeLimit, spec.rate, spec.nemesisInterval]) {
    expect(Number.isFinite(v)).toBe(true);
    // every timer the runner sets from these stays below setTimeout's 2^31 ms
    expect(v * 1000).toBeLessThan(2 ** 31);
  }
  expect(spec.nemesis.length).toBeGreaterThan(0);
  for (const entry of spec.nemesis)
    for (const part of entry.split("+")) expect(NEMESIS_NAMES).toContain(part.split(":")[0]);
  expect(Number.isSafeInteger(spec.seed)).toBe(true);
  expect(typeof spec.results === "string" && spec.results !== "" && !spec.results.includes("\0")).toBe(true);
  for (const img of [spec.zkImage, spec.proxyImage]) if (img !== undefined) expect(typeof img).toBe("string");
}

afterAll(() => {
  console.log(`spec fuzz: ${runs} specs, ${rejected} rejected with one line`);
});

describe("validateSpec fuzzing", () => {
  it(`random specs of any shape (${RUNS.random} runs)`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.dictionary(fc.constantFrom(...KEYS), nasty, { maxKeys: 8 }),
          nasty,
          fc.constantFrom(null, undefined, [], "lock", 3),
        ),
        check,
      ),
      { numRuns: RUNS.random },
    );
  });

  it(`a valid spec with one to three fields replaced or dropped (${RUNS.nearlyValid} runs)`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.option(nasty, { nil: undefined })), {
          minLength: 1,
          maxLength: 3,
        }),
        (changes) => {
          const raw: Record<string, unknown> = { ...valid };
          for (const [k, v] of changes) {
            if (v === undefined) delete raw[k];
            else Object.defineProperty(raw, k, { value: v, enumerable: true, configurable: true });
          }
          check(raw);
        },
      ),
      { numRuns: RUNS.nearlyValid },
    );
  });

  it(`test.json text with values swapped for raw JSON tokens, as repro reads it (${RUNS.testJson} runs)`, () => {
    const token = fc.oneof(
      fc.constantFrom(
        "null",
        "true",
        "0",
        "-1",
        "1e999",
        "1e-999",
        "-0",
        "3.5",
        "9007199254740993",
        '""',
        '"\\u0000"',
        '"a\\nb"',
        "[]",
        "{}",
        '{"toString":1}',
        '{"__proto__":{"nodes":9}}',
        '["partition",null]',
        '"partition,kill"',
        '"none"',
        "[".repeat(5000) + "]".repeat(5000),
      ),
      fc.json({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...KEYS), token), { minLength: 1, maxLength: 4 }),
        fc.constantFrom("object", "null", "array", "number"),
        (swaps, top) => {
          const fields = new Map(Object.entries(valid).map(([k, v]) => [k, JSON.stringify(v)]));
          for (const [k, t] of swaps) fields.set(k, t);
          const body = [...fields].map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",");
          const text =
            top === "object" ? `{${body}}` : top === "array" ? `[{${body}}]` : top === "null" ? "null" : "7";
          check(JSON.parse(text));
        },
      ),
      { numRuns: RUNS.testJson },
    );
  });
});
