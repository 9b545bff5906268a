import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BadInputError } from "../kernel/errors.ts";
import { isRunDir, readRunFiles } from "./run-files.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-run-files-"));

function runDir(files: Record<string, string>): string {
  const dir = tmp();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const op = (i: number, type = "invoke") =>
  JSON.stringify({ index: i, time: i * 1000, type, process: 0, f: "read", value: null });

describe("readRunFiles", () => {
  it("refuses a folder without test.json, or no folder at all, with one line", () => {
    expect(() => readRunFiles(tmp())).toThrow(BadInputError);
    expect(() => readRunFiles(join(tmp(), "nope"))).toThrow(/no such folder/);
    expect(isRunDir(tmp())).toBe(false);
  });

  it("ignores a torn last history line without a note", () => {
    const dir = runDir({ "test.json": "{}", "history.jsonl": `${op(0)}\n${op(1, "ok")}\n{"index":2,"ti` });
    const files = readRunFiles(dir);
    expect(files.history).toHaveLength(2);
    expect(files.notes.filter((n) => n.startsWith("history"))).toEqual([]);
  });

  it("skips and notes corrupt lines elsewhere; fills a missing index", () => {
    const noIndex = JSON.stringify({ time: 5, type: "ok", process: 0, f: "read" });
    const dir = runDir({ "test.json": "{}", "history.jsonl": `${op(0)}\nnot json\n{"x":1}\n${noIndex}\n` });
    const files = readRunFiles(dir);
    expect(files.history.map((o) => o.index)).toEqual([0, 1]); // position among ops, as checkers/formats/jsonl.ts
    expect(files.history[1]!.value).toBeNull();
    expect(files.notes).toContain("history.jsonl: 2 unreadable lines skipped (first: line 2)");
  });

  it("a run that died: no results.json, no resource log, no nodes/ — notes, not errors", () => {
    const dir = runDir({ "test.json": '{"workload":"lock"}', "history.jsonl": "" });
    const files = readRunFiles(dir);
    expect(files.results).toBeNull();
    expect(files.resource).toEqual([]);
    expect(files.nodeLogs).toEqual([]);
    expect(files.notes.join("\n")).toMatch(/results.json: absent/);
  });

  it("corrupt results.json and test.json become notes; odd verdicts become unknown", () => {
    expect(readRunFiles(runDir({ "test.json": "[", "results.json": "{" })).notes).toEqual(
      expect.arrayContaining([
        "test.json: not a JSON object",
        "results.json: not valid JSON",
        "history.jsonl: absent",
      ]),
    );
    const files = readRunFiles(
      runDir({ "test.json": "{}", "results.json": '{"valid":"yes","checkers":{"a":{"valid":7},"b":null}}' }),
    );
    expect(files.results?.valid).toBe("unknown");
    expect(files.results?.checkers).toEqual({ a: { valid: "unknown" }, b: { valid: "unknown" } });
  });

  it("lists server logs in node order", () => {
    const dir = runDir({
      "test.json": "{}",
      "nodes/zk10.log": "",
      "nodes/zk2.log": "",
      "nodes/proxy.log": "",
    });
    expect(readRunFiles(dir).nodeLogs).toEqual(["proxy.log", "zk2.log", "zk10.log"]);
  });
});
