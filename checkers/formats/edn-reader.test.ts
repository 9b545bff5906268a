import { describe, expect, it } from "vitest";
import { EdnReader, EdnSymbol, EdnSyntaxError, getKw, Keyword, readAllEdn, toPlain } from "./edn-reader.ts";

const one = (s: string) => readAllEdn(s)[0];

describe("EDN reader", () => {
  it("reads scalars", () => {
    expect(readAllEdn("nil true false 42 -7 +3 1.5 -2e3 12N 1.0M 1/2")).toEqual([
      null,
      true,
      false,
      42,
      -7,
      3,
      1.5,
      -2000,
      12,
      1,
      0.5,
    ]);
    expect(one("12345678901234567890")).toBe(12345678901234567890n);
    expect(one('"a\\"b\\n\\u0041"')).toBe('a"b\nA');
    expect(one("\\a")).toBe("a");
    expect(one("\\newline")).toBe("\n");
  });

  it("reads keywords and symbols", () => {
    expect(one(":read")).toEqual(new Keyword("read"));
    expect(one(":jepsen/op")).toEqual(new Keyword("jepsen/op"));
    expect(one("foo")).toEqual(new EdnSymbol("foo"));
  });

  it("reads collections; commas are whitespace; comments and discards are skipped", () => {
    const v = one('[1, 2 (3 4) #{5} {:a 1, "b" [nil]} ; comment\n #_ ignored 6]');
    expect(toPlain(v!)).toEqual([1, 2, [3, 4], [5], { a: 1, b: [null] }, 6]);
  });

  it("keeps the value of a tagged literal", () => {
    expect(toPlain(one("#jepsen.history.Op{:index 0, :f :read}")!)).toEqual({ index: 0, f: "read" });
    expect(one('#inst "2020-01-01"')).toBe("2020-01-01");
  });

  it("looks up keyword keys", () => {
    const m = one("{:f :read :value 3}") as Map<unknown, unknown>;
    expect(getKw(m as never, "value")).toBe(3);
    expect(getKw(m as never, "nope")).toBeUndefined();
  });

  it("counts lines", () => {
    const r = new EdnReader("1\n\n2 ; x\n3");
    r.read();
    r.read();
    r.atEnd();
    expect(r.line).toBe(4); // atEnd skipped to the 3 on line 4
  });

  it.each([
    ["[1 2", /missing '\]'/, true],
    ['"abc', /unterminated string/, true],
    ["{:a}", /odd number/, false],
    ["]", /unexpected '\]'/, false],
    ["1.2.3", /bad number/, false],
    ['"\\q"', /bad escape/, false],
    ["#", /bad '#'/, false],
    [":", /empty keyword/, false],
    ["[".repeat(2000), /nesting too deep/, false],
  ])("rejects %j", (text, message, eof) => {
    try {
      readAllEdn(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EdnSyntaxError);
      expect((e as Error).message).toMatch(message);
      expect((e as EdnSyntaxError).eof).toBe(eof);
    }
  });
});
