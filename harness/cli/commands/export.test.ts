import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHistory } from "../../../checkers/check-history.ts";
import { parseHistory } from "../../../checkers/formats/index.ts";
import { BadInputError } from "../../../kernel/errors.ts";
import { exportCommand, inFileOrder } from "./export.ts";

const line = (o: object) => `${JSON.stringify(o)}\n`;
const ev = (index: number, time: number, process: number, type: string, f: string, value: unknown) =>
  line({ index, time, process, type, f, value });

/**
 * A register history as the harness writes it: lines in arrival order, which is not time order (the read's
 * completion arrived before the write's). The read of `read` after the write of 1 completed.
 */
function register(read: number): string {
  return (
    ev(0, 1_000, 0, "invoke", "write", 1) +
    ev(1, 3_000, 1, "invoke", "read", null) +
    ev(2, 4_000, 1, "ok", "read", read) +
    ev(3, 2_000, 0, "ok", "write", 1) +
    line({ index: 4, time: 2_500, process: "nemesis", type: "info", f: "kill", value: ["zk2"] })
  );
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "zk-chaos-export-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exported(history: string): Promise<string> {
  const run = path.join(dir, `run-${Math.random().toString(36).slice(2)}`);
  mkdirSync(run);
  writeFileSync(path.join(run, "history.jsonl"), history);
  const out = path.join(run, "history.edn");
  expect(await exportCommand(run, { out })).toBe(0);
  return readFileSync(out, "utf8");
}

const verdict = async (text: string, file: string) => {
  const parsed = parseHistory(text, file);
  return (
    await checkHistory(parsed.history, { format: parsed.format, clock: parsed.clock, model: "register" })
  ).valid;
};

describe("zk-chaos export", () => {
  it("writes the ops in time order with :index renumbered, nemesis as a keyword process", async () => {
    const edn = await exported(register(1));
    const lines = edn.trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe("{:index 0, :time 1000, :type :invoke, :process 0, :f :write, :value 1}");
    expect(lines[1]).toBe("{:index 1, :time 2000, :type :ok, :process 0, :f :write, :value 1}");
    expect(lines[2]).toBe('{:index 2, :time 2500, :type :info, :process :nemesis, :f :kill, :value ["zk2"]}');
    expect(lines[4]).toBe("{:index 4, :time 4000, :type :ok, :process 1, :f :read, :value 1}");
  });

  it("keeps the verdict: the EDN is judged as the JSONL is, valid and invalid", async () => {
    for (const read of [1, 7]) {
      const jsonl = register(read);
      const edn = await exported(jsonl);
      const expected = read === 1;
      expect(await verdict(jsonl, "h.jsonl")).toBe(expected);
      expect(await verdict(edn, "h.edn")).toBe(expected);
    }
  });

  it("keeps file order for formats without a clock", () => {
    const parsed = parseHistory(register(1), "h.jsonl");
    const shuffled = [parsed.history[2]!, parsed.history[0]!];
    expect(inFileOrder(shuffled, false).map((o) => [o.index, o.time])).toEqual([
      [0, 4_000],
      [1, 1_000],
    ]);
  });

  it("bad input is one line: missing source, a folder with no history, an unknown format", async () => {
    await expect(exportCommand(path.join(dir, "nope"))).rejects.toThrow(BadInputError);
    const empty = path.join(dir, "empty");
    mkdirSync(empty);
    await expect(exportCommand(empty)).rejects.toThrow(/not a run folder \(no history\.jsonl in it\)/);
    await expect(exportCommand(empty, { format: "xml" })).rejects.toThrow(/--format must be one of/);
    const bad = path.join(dir, "bad.jsonl");
    writeFileSync(bad, '{"index":0,"time":1,"process":0,"type":"nope","f":"read","value":null}\n');
    await expect(exportCommand(bad)).rejects.toThrow(BadInputError);
  });
});
