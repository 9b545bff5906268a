import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HistoryWriter } from "./writer.ts";

describe("HistoryWriter", () => {
  it("appends one line per op as it goes, with dense indexes, readable before close", () => {
    const path = join(mkdtempSync(join(tmpdir(), "hist-")), "history.jsonl");
    const w = new HistoryWriter(path);
    w.append({ time: 1, type: "invoke", process: 0, f: "read", value: null });
    w.append({ time: 2, type: "ok", process: 0, f: "read", value: 3, session: "0x1" });
    // Not closed yet: a crash here must still leave both lines on disk.
    const lines = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { index: 0, time: 1, type: "invoke", process: 0, f: "read", value: null },
      { index: 1, time: 2, type: "ok", process: 0, f: "read", value: 3, session: "0x1" },
    ]);
    expect(w.history()).toHaveLength(2);
    w.close();
  });

  it("writes 64-bit values that JSON cannot hold as strings", () => {
    const path = join(mkdtempSync(join(tmpdir(), "hist-")), "h.jsonl");
    const w = new HistoryWriter(path);
    w.append({ time: 1, type: "ok", process: 0, f: "acquire", value: { token: 2n ** 60n, small: 5n } });
    w.close();
    expect(JSON.parse(readFileSync(path, "utf8")).value).toEqual({ token: "1152921504606846976", small: 5 });
  });
});
