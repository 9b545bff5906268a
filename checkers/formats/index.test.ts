import { describe, expect, it } from "vitest";
import { detectFormat, parseHistory } from "./index.ts";

describe("format detection", () => {
  it.each([
    ['{"index":0,"type":"invoke"}\n', "jsonl"],
    ["INFO  jepsen.util - 0\t:invoke\t:read\tnil\n", "porcupine-etcd"],
    ['{:process 0, :type :invoke, :f :append, :key "0", :value "x"}\n', "porcupine-kv"],
    ["{:type :invoke, :process 0, :f :read, :value nil}\n", "jepsen-edn"],
    ["; comment\n[{:type :invoke}]", "jepsen-edn"],
    ["(\n)", "jepsen-edn"],
  ])("%j is %s", (text, format) => {
    expect(detectFormat(text)).toBe(format);
  });

  it("goes by extension for empty files", () => {
    expect(detectFormat("", "a.log")).toBe("porcupine-etcd");
    expect(detectFormat("", "a.edn")).toBe("jepsen-edn");
    expect(detectFormat("\n", "history.jsonl")).toBe("jsonl");
  });

  it("does not guess at other text", () => {
    expect(detectFormat("hello\n")).toBeUndefined();
    expect(() => parseHistory("hello\n", "x.txt")).toThrow(
      /x\.txt: cannot tell the history format; use --format/,
    );
  });

  it("a format flag wins over content", () => {
    expect(() => parseHistory("INFO jepsen.util - 0 :invoke :read nil\n", "a.log", "jsonl")).toThrow(
      /a\.log:1: not JSON/,
    );
  });
});
