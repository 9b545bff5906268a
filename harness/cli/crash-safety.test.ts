/**
 * Crash-safe results: a process that records a run (history.jsonl through HistoryWriter, resource.jsonl
 * through the resource server) and is SIGKILLed leaves every op it had acknowledged on disk, in whole lines;
 * with a torn last line in either file, `zk-chaos check` says so and checks the rest.
 */
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkCommand } from "./commands/check.ts";
import { EXIT } from "../../kernel/errors.ts";

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), "testing", "crash-writer.ts");
const lines = (file: string) => readFileSync(file, "utf8").split("\n");

/** Start the fixture, wait until it acknowledged `n` ops, SIGKILL it; the last op number it printed. */
async function recordAndKill(dir: string, n: number): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, sig) => resolve(sig)),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.split("\n").length > n) resolve();
    });
    child.on("exit", () => reject(new Error(`fixture exited early: ${err}`)));
  });
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  const acked = out.split("\n").filter((l) => /^\d+$/.test(l));
  return Number(acked.at(-1));
}

describe("crash-safe results", () => {
  it("a SIGKILLed recorder leaves every acknowledged op on disk, in whole lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zk-chaos-crash-"));
    const last = await recordAndKill(dir, 300);
    const history = lines(join(dir, "history.jsonl"));
    const resource = lines(join(dir, "resource.jsonl"));
    // op i is acknowledged after its invoke, its access and its completion were written
    expect(history.length - 1).toBeGreaterThanOrEqual(2 * (last + 1));
    expect(resource.length - 1).toBeGreaterThanOrEqual(last + 1);
    // written line by line (one write each), so even a kill mid-op leaves whole lines
    for (const l of [...history, ...resource].filter(Boolean)) expect(() => JSON.parse(l), l).not.toThrow();
  }, 60_000);

  it("check on torn last lines says so, for the history and the resource log, and checks the rest", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zk-chaos-crash-"));
    await recordAndKill(dir, 100);
    appendFileSync(join(dir, "history.jsonl"), '{"index":99999,"time":1,"proc');
    appendFileSync(join(dir, "resource.jsonl"), '{"seq":99999,"ti');
    const out: string[] = [];
    const err: string[] = [];
    const code = await checkCommand([dir], {}, { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(err).toEqual([
      expect.stringMatching(/^warning: .*history\.jsonl:\d+: torn last line ignored/),
      expect.stringMatching(/^warning: .*resource\.jsonl:\d+: torn last line ignored/),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/history\.jsonl: valid .*linearizable\/cas-register ok/);
    expect(code).toBe(EXIT.valid);
  }, 60_000);
});
