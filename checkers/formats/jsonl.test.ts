import { describe, expect, it } from "vitest";
import { BadInputError } from "../../kernel/errors.ts";
import { parseJsonl, writeJsonl } from "./jsonl.ts";
import { parseResourceLog } from "./resource-log.ts";

const line = (o: object) => `${JSON.stringify(o)}\n`;
const a = { index: 0, time: 1, process: 3, type: "invoke", f: "acquire", value: null };
const b = {
  index: 1,
  time: 9,
  process: 3,
  type: "ok",
  f: "acquire",
  value: { token: 4 },
  node: "zk2",
  session: "0x1",
};

describe("history.jsonl", () => {
  it("reads ops and keeps extra fields; round-trips", () => {
    const text = line(a) + "\n" + line(b);
    const p = parseJsonl(text, "h.jsonl");
    expect(p).toMatchObject({ format: "jsonl", clock: "time", warnings: [] });
    expect(p.history).toEqual([a, b]);
    expect(writeJsonl(p.history)).toBe(line(a) + line(b));
  });

  it("defaults a missing index to the position and a missing value to null", () => {
    const { index: _i, value: _v, ...rest } = a;
    expect(parseJsonl(line(rest), "h.jsonl").history[0]).toMatchObject({ index: 0, value: null });
  });

  it("a torn last line is a warning and the rest is checked", () => {
    const p = parseJsonl(line(a) + '{"index":1,"time":9,"proc', "h.jsonl");
    expect(p.history).toEqual([a]);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatch(/^h\.jsonl:2: torn last line ignored/);
  });

  it.each([
    ['{"index":0\n' + line(a), /^h\.jsonl:1: not JSON/],
    [line({ ...a, type: "done" }), /^h\.jsonl:1: "type" must be/],
    [line({ ...a, process: 1.5 }), /"process" must be/],
    [line({ ...a, f: 3 }), /"f" must be a string/],
    [line({ ...a, time: "soon" }), /"time" must be a number/],
    [line({ ...a, index: "x" }), /"index" must be an integer/],
    ["[1,2]\n", /expected a JSON object/],
  ])("rejects bad lines with file:line (%#)", (text, message) => {
    expect(() => parseJsonl(text, "h.jsonl")).toThrow(BadInputError);
    expect(() => parseJsonl(text, "h.jsonl")).toThrow(message);
  });
});

describe("resource.jsonl", () => {
  it("reads events with holder aliases", () => {
    const text =
      line({ time: 1, client: 3, accepted: true, token: "0x10" }) +
      line({ time: 2, holder: "b", op: "enter", accepted: false });
    expect(parseResourceLog(text, "r.jsonl")).toEqual([
      { time: 1, client: 3, holder: 3, op: "write", accepted: true, token: "0x10" },
      { time: 2, holder: "b", op: "enter", accepted: false },
    ]);
  });

  it("rejects events without time, holder or accepted", () => {
    expect(() => parseResourceLog(line({ holder: 1, accepted: true }), "r.jsonl")).toThrow(
      /r\.jsonl:1: "time"/,
    );
    expect(() => parseResourceLog(line({ time: 1, accepted: true }), "r.jsonl")).toThrow(/"holder"/);
    expect(() => parseResourceLog(line({ time: 1, holder: 1 }), "r.jsonl")).toThrow(/"accepted"/);
  });
});
