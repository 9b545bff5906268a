import { describe, expect, it } from "vitest";
import { BadInputError } from "../../kernel/errors.ts";
import { parseJepsenEdn } from "./jepsen-edn.ts";
import { parsePorcupineKv } from "./porcupine-kv.ts";

const ops = `{:index 0, :time 5, :type :invoke, :process 0, :f :read, :value nil}
{:index 1, :time 3, :type :ok, :process 0, :f :read, :value 1}
{:type :info, :process :nemesis, :f :start-partition, :value [:n1 :n2]}
`;

describe("Jepsen EDN histories", () => {
  it("reads one map per line; file order is real time", () => {
    const p = parseJepsenEdn(ops, "h.edn");
    expect(p.clock).toBe("position");
    expect(p.history).toEqual([
      { index: 0, time: 5, type: "invoke", process: 0, f: "read", value: null },
      { index: 1, time: 3, type: "ok", process: 0, f: "read", value: 1 },
      { index: 2, time: 2, type: "info", process: "nemesis", f: "start-partition", value: ["n1", "n2"] },
    ]);
  });

  it("reads a vector or a list of ops, with comments and records", () => {
    const v = parseJepsenEdn(`; a history\n[${ops}]`, "h.edn");
    expect(v.history).toHaveLength(3);
    const l = parseJepsenEdn(`(#jepsen.history.Op{:type :invoke, :process 1, :f :write, :value 3})`, "h.edn");
    expect(l.history[0]).toMatchObject({ type: "invoke", process: 1, f: "write", value: 3 });
  });

  it("keeps extra keys", () => {
    const p = parseJepsenEdn(
      `{:type :ok, :process 0, :f :read, :value 1, :error :timeout, :node "n1"}\n`,
      "h.edn",
    );
    expect(p.history[0]).toMatchObject({ error: "timeout", node: "n1" });
  });

  it("a torn last map is a warning, the rest is kept", () => {
    const p = parseJepsenEdn(`${ops}{:type :invoke, :process 3, :f :re`, "h.edn");
    expect(p.history).toHaveLength(3);
    expect(p.warnings).toEqual(["h.edn:4: torn last line ignored"]);
  });

  it("an unterminated vector keeps what it read, with a warning", () => {
    const p = parseJepsenEdn(`[${ops}`, "h.edn");
    expect(p.history).toHaveLength(3);
    expect(p.warnings[0]).toMatch(/ends inside its vector/);
  });

  it.each([
    ["{:type :ok, :process 0, :f :read\n", /h\.edn:1: bad EDN: missing '\}'/],
    ["{:type :done, :process 0, :f :read}\n", /h\.edn:1: :type must be/],
    ["{:type :ok, :f :read}\n", /h\.edn:1: op without :process/],
    ["{:type :ok, :process 0}\n", /op without :f/],
    ["\n\n[1 2]\n", /h\.edn:3: expected an op map/],
    ["{:type :ok :process 0 :f :read}\n{:x}\n", /h\.edn:2: bad EDN: map with an odd/],
    ["[] 3", /unexpected data after the history/],
  ])("rejects %j with one line naming file:line", (text, message) => {
    expect(() => parseJepsenEdn(text, "h.edn")).toThrow(BadInputError);
    expect(() => parseJepsenEdn(text, "h.edn")).toThrow(message);
  });
});

describe("Porcupine kv logs", () => {
  it("reads :key as a field", () => {
    const p = parsePorcupineKv(
      `{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}\n`,
      "c.txt",
    );
    expect(p.format).toBe("porcupine-kv");
    expect(p.history[0]).toEqual({
      index: 0,
      time: 0,
      process: 0,
      type: "invoke",
      f: "append",
      key: "0",
      value: "x 0 0 y",
    });
  });
});
