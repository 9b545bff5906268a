import { describe, expect, it } from "vitest";
import { BadInputError } from "../../kernel/errors.ts";
import { parsePorcupineEtcd } from "./porcupine-etcd.ts";

describe("porcupine-etcd logs", () => {
  it("reads events, skipping other lines; tabs or spaces", () => {
    const text = [
      "INFO  jepsen.util - 0\t:invoke\t:read\tnil",
      "INFO  jepsen.core - setting up",
      "INFO  jepsen.util - :nemesis\t:info\t:start\tnil",
      "INFO  jepsen.util - 2   :ok :cas    [3 0]",
      "INFO  jepsen.util - 4\t:info\t:write\t:timed-out",
      "",
    ].join("\n");
    const p = parsePorcupineEtcd(text, "e.log");
    expect(p.history).toEqual([
      { index: 0, time: 0, process: 0, type: "invoke", f: "read", value: null },
      { index: 1, time: 3, process: 2, type: "ok", f: "cas", value: [3, 0] },
      { index: 2, time: 4, process: 4, type: "info", f: "write", value: null, error: "timed-out" },
    ]);
  });

  it("an empty file is an empty history", () => {
    expect(parsePorcupineEtcd("", "e.log").history).toEqual([]);
  });

  it("a malformed client event is an error naming file:line", () => {
    expect(() => parsePorcupineEtcd("INFO jepsen.util - 1 :ok :read\n", "e.log")).toThrow(BadInputError);
    expect(() => parsePorcupineEtcd("x\nINFO jepsen.util - 1 :ok :cas [1\n", "e.log")).toThrow(/^e\.log:2: /);
  });

  it("a torn last line is a warning", () => {
    const p = parsePorcupineEtcd(
      "INFO jepsen.util - 1 :invoke :read nil\nINFO jepsen.util - 1 :ok :re",
      "e.log",
    );
    expect(p.history).toHaveLength(1);
    expect(p.warnings).toEqual(["e.log:2: torn last line ignored"]);
  });

  it("a file with no event lines at all is not an etcd log", () => {
    expect(() => parsePorcupineEtcd("hello\nworld\n", "e.log")).toThrow(/no porcupine-etcd event lines/);
  });
});
