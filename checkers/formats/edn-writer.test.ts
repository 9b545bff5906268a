import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op } from "../../kernel/op.ts";
import { historyCompleteness } from "../history-completeness.ts";
import { history, mark, seq } from "../testing/history.ts";
import { opToEdn, toEdn, writeJepsenEdn } from "./edn-writer.ts";
import { parseJepsenEdn } from "./jepsen-edn.ts";

describe("EDN writer", () => {
  it("writes Jepsen ops with keywords where Jepsen has them", () => {
    const op: Op = {
      index: 1,
      time: 9,
      type: "ok",
      process: 3,
      f: "acquire",
      value: { token: 4 },
      node: "zk2",
    };
    expect(opToEdn(op)).toBe(
      '{:index 1, :time 9, :type :ok, :process 3, :f :acquire, :value {:token 4}, :node "zk2"}',
    );
    expect(
      opToEdn({ index: 0, time: 0, type: "info", process: "nemesis", f: "start-partition", value: ["n1"] }),
    ).toBe('{:index 0, :time 0, :type :info, :process :nemesis, :f :start-partition, :value ["n1"]}');
  });

  it("escapes strings and falls back to string keys", () => {
    expect(toEdn('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
    expect(toEdn({ "two words": 1, ok: null })).toBe('{"two words" 1, :ok nil}');
    expect(toEdn(12n)).toBe("12N");
  });

  it("round-trips through the EDN parser", () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        fc.string(),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/), tie("value"), { maxKeys: 3 }),
      ),
    })).value;
    const op = fc.record({
      index: fc.nat(),
      time: fc.nat(),
      type: fc.constantFrom("invoke", "ok", "fail", "info" as const),
      process: fc.oneof(fc.nat(), fc.constant("nemesis" as const)),
      f: fc.stringMatching(/^[a-z][a-z-]{0,8}$/),
      value: json,
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 5 }), (ops) => {
        expect(parseJepsenEdn(writeJepsenEdn(ops as Op[]), "x.edn").history).toEqual(ops);
      }),
    );
  });

  it("keeps the runner's phase marks: a cut history exported is still cut when read back", () => {
    const cut = history(...mark("main"), ...seq(0, "enqueue", 1, "ok"), ...mark("final"));
    const back = parseJepsenEdn(writeJepsenEdn(cut), "x.edn").history;
    expect(historyCompleteness(back)).toEqual({ whole: false, reason: "the final phase did not finish" });
    const whole = history(...mark("main"), ...mark("final"), ...mark("done"));
    expect(historyCompleteness(parseJepsenEdn(writeJepsenEdn(whole), "x.edn").history)).toEqual({
      whole: true,
    });
  });
});
