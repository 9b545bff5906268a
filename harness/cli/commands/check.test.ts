import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadInputError } from "../../../kernel/errors.ts";
import { writeJsonl } from "../../../checkers/formats/jsonl.ts";
import { pathological } from "../../../checkers/testing/pathological.ts";
import { checkCommand, worstExit } from "./check.ts";
import { writeLeaseLockRun } from "./testing/recipe-run.ts";

const line = (o: object) => `${JSON.stringify(o)}\n`;
let t = 0;
const ev = (process: number | string, type: string, f: string, value: unknown, extra: object = {}) =>
  line({ index: t, time: 1_000_000 * t++, process, type, f, value, ...extra });

function register(read: number): string {
  t = 0;
  return (
    ev(0, "invoke", "write", 1) +
    ev(0, "ok", "write", 1) +
    ev("nemesis", "invoke", "start-partition", null) +
    ev("nemesis", "info", "start-partition", ["zk1"]) +
    ev(1, "invoke", "read", null) +
    ev(1, "ok", "read", read)
  );
}

let dir: string;
const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
};

async function run(files: string[], opts: Parameters<typeof checkCommand>[1] = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await checkCommand(files, opts, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "zk-chaos-check-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("zk-chaos check", () => {
  it("valid history: exit 0 and one verdict line", async () => {
    const r = await run([file("ok/history.jsonl", register(1))]);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toMatch(
      /history\.jsonl: valid \(\d+(\.\d)? ms\) linearizable\/cas-register ok \(2 ops\)/,
    );
  });

  it("invalid history: exit 1 and the evidence on the line", async () => {
    const r = await run([file("bad/history.jsonl", register(7))]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/: INVALID .*no order could include read\(\) → 7/);
  });

  it("--json prints results.json's shape, one object per line", async () => {
    const r = await run([path.join(dir, "ok/history.jsonl"), path.join(dir, "bad/history.jsonl")], {
      json: true,
    });
    expect(r.code).toBe(1);
    const [a, b] = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ file: path.join(dir, "ok/history.jsonl"), valid: true, format: "jsonl" });
    expect(Object.keys(a!.checkers as object)).toEqual(["linearizable"]);
    expect(a!.stats).toMatchObject({ valid: true, nemesis: [{ fault: "partition" }] });
    expect(b).toMatchObject({
      valid: false,
      checkers: { linearizable: { valid: false, evidence: { failedOp: { index: 4 } } } },
    });
  });

  it("a torn last line is a warning; the rest is checked", async () => {
    const r = await run([file("torn/history.jsonl", register(1) + '{"index":6,"ti')]);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([expect.stringMatching(/^warning: .*history\.jsonl:7: torn last line ignored/)]);
    const j = await run([path.join(dir, "torn/history.jsonl")], { json: true });
    expect(JSON.parse(j.out[0]!).warnings).toHaveLength(1);
  });

  it("bad input: exit 254 with one line, and the other files still checked", async () => {
    const bad = file("junk/history.jsonl", "not json\n" + register(1));
    const r = await run([bad, path.join(dir, "ok/history.jsonl")]);
    expect(r.code).toBe(254);
    expect(r.err).toEqual([`zk-chaos: ${bad}:1: not JSON: "not json"`]);
    expect(r.out).toHaveLength(1);
    const missing = await run([path.join(dir, "nope.jsonl")]);
    expect(missing.code).toBe(254);
  });

  it("unknown when no checker applies or the time runs out", async () => {
    t = 0;
    const odd = await run([file("odd/history.jsonl", ev(0, "invoke", "frob", 1) + ev(0, "ok", "frob", 1))]);
    expect(odd.code).toBe(2);
    expect(odd.out[0]).toMatch(/unknown .*no checker applies/);
    // n concurrent writes then an impossible read: far too many orders for 10 ms
    t = 0;
    let text = "";
    for (let p = 0; p < 22; p++) text += ev(p, "invoke", "write", p);
    for (let p = 0; p < 22; p++) text += ev(p, "ok", "write", p);
    text += ev(99, "invoke", "read", null) + ev(99, "ok", "read", -1);
    const slow = await run([file("slow/history.jsonl", text)], { timeout: 0.01, json: true });
    expect(slow.code).toBe(2);
    expect(JSON.parse(slow.out[0]!).checkers.linearizable).toMatchObject({
      valid: "unknown",
      reason: "timeout",
    });
  });

  it("a folder: every history file in it, worst exit code", async () => {
    const d = path.join(dir, "corpus");
    file(
      "corpus/a.log",
      "INFO  jepsen.util - 0\t:invoke\t:write\t1\nINFO  jepsen.util - 0\t:ok\t:write\t1\n",
    );
    file(
      "corpus/b.log",
      "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\t3\n",
    );
    file("corpus/MANIFEST.tsv", "file\texpected\n");
    const r = await run([d]);
    expect(r.out.map((l) => l.split(":")[0]!.slice(d.length + 1))).toEqual(["a.log", "b.log"]);
    expect(r.code).toBe(1);
  });

  it("a run folder: its history, judged by its workload's own checkers over resource.jsonl", async () => {
    t = 0;
    const run1 = "lockrun";
    file(`${run1}/test.json`, JSON.stringify({ workload: "lock", seed: 1 }));
    file(`${run1}/history.jsonl`, ev(0, "invoke", "acquire", null) + ev(0, "ok", "acquire", { token: 5 }));
    file(
      `${run1}/resource.jsonl`,
      line({ time: 1, holder: 0, token: 5, accepted: true }) +
        line({ time: 2, holder: 1, token: 4, accepted: true }),
    );
    const r = await run([path.join(dir, run1)], { json: true });
    expect(r.code).toBe(1);
    const res = JSON.parse(r.out[0]!);
    expect(Object.keys(res.checkers)).toContain("lock-safety"); // as the lock workload's run would judge it
    expect(res.checkers["lock-safety"]).toMatchObject({ valid: false, tokenRegressionCount: 1 });
  });

  it("a queue run cut before its final drain: unknown with the reason, not lost; a duplicate stays INVALID", async () => {
    const mark = (m: string) => ev("nemesis", "invoke", "phase", m) + ev("nemesis", "info", "phase", m);
    const queueRun = (name: string, ops: () => string) => {
      t = 0;
      file(`${name}/test.json`, JSON.stringify({ workload: "queue", variant: "protected", seed: 1 }));
      file(`${name}/history.jsonl`, ops());
      return path.join(dir, name);
    };
    const main = () =>
      mark("main") +
      ev(0, "invoke", "enqueue", 1) +
      ev(0, "ok", "enqueue", 1) +
      ev(0, "invoke", "enqueue", 2) +
      ev(0, "ok", "enqueue", 2) +
      ev(1, "invoke", "dequeue", null) +
      ev(1, "ok", "dequeue", 1);
    const cut = await run([queueRun("cutq", main)]);
    expect(cut.code).toBe(2);
    expect(cut.out[0]).toMatch(
      /: unknown .*total-queue unknown \(history cut before the final phase \(the final phase never ran\): 1 acknowledged item not dequeued by then, not judged lost\)/,
    );
    const dup = await run([
      queueRun("cutdup", () => main() + ev(2, "invoke", "dequeue", null) + ev(2, "ok", "dequeue", 1)),
    ]);
    expect(dup.code).toBe(1);
    expect(dup.out[0]).toMatch(
      /total-queue INVALID \(.*duplicated 1, undrained 1; history cut before the final phase \(the final phase never ran\): what it never read back is not judged\)/,
    );
    // The same ops with the final phase done: element 2 is lost.
    const whole = await run([
      queueRun(
        "wholeq",
        () =>
          main() + mark("final") + ev(2, "invoke", "drain", null) + ev(2, "ok", "drain", []) + mark("done"),
      ),
    ]);
    expect(whole.code).toBe(1);
    expect(whole.out[0]).toMatch(/total-queue INVALID \(.*lost 1\)/);
  });

  it("a workload zk-chaos does not know: checkers by the ops' f values", async () => {
    t = 0;
    file("mine/test.json", JSON.stringify({ workload: "my-queue" }));
    file(
      "mine/history.jsonl",
      ev(0, "invoke", "enqueue", 1) +
        ev(0, "ok", "enqueue", 1) +
        ev(1, "invoke", "drain", null) +
        ev(1, "ok", "drain", []),
    );
    const r = await run([path.join(dir, "mine")], { json: true });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out[0]!).checkers["total-queue"]).toMatchObject({ valid: false, lost: [1] });
  });

  it("a run of a user's recipe: judged by the checkers its module declares, over resource.jsonl", async () => {
    const bad = path.join(dir, "lease-overlap");
    writeLeaseLockRun(bad, { overlap: true });
    const r = await run([bad], { json: true });
    expect(r.err).toEqual([]);
    expect(r.code).toBe(1);
    const res = JSON.parse(r.out[0]!);
    // examples/lease-lock: lock-safety and lost-updates (on its counter's key), session-order as on every
    // workload, nothing by model
    expect(Object.keys(res.checkers)).toEqual(["lock-safety", "lost-updates", "session-order"]);
    expect(res.checkers["lock-safety"]).toMatchObject({ valid: false, overlapCount: 1 });
    expect(res.checkers["lost-updates"]).toMatchObject({ valid: false, lostUpdateCount: 1 });
    const line = await run([bad]);
    expect(line.out[0]).toMatch(/: INVALID .*lock-safety INVALID \(overlap 1\); lost-updates INVALID/);

    const good = path.join(dir, "lease-ok");
    writeLeaseLockRun(good, { overlap: false, variant: "fenced" });
    const ok = await run([good], { json: true });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out[0]!).checkers).toMatchObject({
      "lock-safety": { valid: true, sections: 2 },
      "lost-updates": { valid: true, increments: 2, final: 2 },
    });
  });

  it("a recipe whose module cannot be loaded: one line, exit 254, how to check by model; --model does", async () => {
    const gone = path.join(dir, "lease-gone");
    const module = path.join(dir, "moved-away", "lease-lock.ts");
    writeLeaseLockRun(gone, { overlap: true, module });
    const r = await run([gone, path.join(dir, "ok/history.jsonl")]);
    expect(r.code).toBe(254);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toBe(
      `zk-chaos: ${gone}: cannot load workload lease-lock as this run used it, so its own checkers cannot ` +
        `judge it; to check it by model instead: zk-chaos check ${gone} --model M (M: e.g. cas-register). ` +
        `${module}: not found`,
    );
    expect(r.out).toHaveLength(1); // the other file is still checked

    const other = path.join(dir, "lease-renamed");
    writeLeaseLockRun(other, { overlap: true, variant: "no-such-variant" });
    const v = await run([other]);
    expect(v.code).toBe(254);
    expect(v.err[0]).toMatch(
      /cannot load workload lease-lock as this run used it.*lease-lock\.ts: it has no variant no-such-variant now \(lease, fenced\)$/,
    );

    const byModel = await run([gone], { model: "mutex", json: true });
    expect(byModel.code).not.toBe(254);
    expect(byModel.err).toEqual([
      `warning: ${gone}: workload lease-lock's module cannot be loaded as the run used it; judged by --model mutex`,
    ]);
    expect(Object.keys(JSON.parse(byModel.out[0]!).checkers)).toContain("linearizable");
  });

  it("--model and --format override; bad flags are bad input", async () => {
    const r = await run([path.join(dir, "ok/history.jsonl")], { model: "register" });
    expect(r.out[0]).toMatch(/linearizable\/register ok/);
    await expect(run(["x"], { model: "nope" })).rejects.toThrow(BadInputError);
    await expect(run(["x"], { format: "csv" })).rejects.toThrow(/--format must be one of/);
  });

  it("--init: Knossos's multi-register history from {x 0, y 0} is valid from it, invalid from nothing", async () => {
    const edn = fileURLToPath(
      new URL("../../../checkers/testing/golden/knossos-multi-init-ok.edn", import.meta.url),
    );
    const from = await run([edn], { init: '{"x":0,"y":0}' });
    expect(from.code).toBe(0);
    expect(from.out[0]).toMatch(/: valid .*linearizable\/multi-register ok/);
    const bare = await run([edn]);
    expect(bare.code).toBe(1);
    expect(bare.out[0]).toMatch(/INVALID .*no order could include txn\(\[r x 0\] \[r y 0\]\)/);
    // a run folder's own checker (a register run's cas-register) starts from it too: a first read of 5
    t = 0;
    file("init-run/history.jsonl", ev(0, "invoke", "read", null) + ev(0, "ok", "read", 5));
    file("init-run/test.json", JSON.stringify({ workload: "register", variant: "sync", seed: 1 }));
    const runDir = path.join(dir, "init-run");
    expect((await run([runDir])).code).toBe(1);
    const five = await run([runDir], { init: "5" });
    expect(five.code).toBe(0);
    expect(five.out[0]).toMatch(/linearizable\/cas-register ok/);
  });

  it("--init: bad JSON, or a state the model cannot take, is one line and exit 254", async () => {
    const edn = fileURLToPath(
      new URL("../../../checkers/testing/golden/knossos-multi-init-ok.edn", import.meta.url),
    );
    await expect(run([edn], { init: "{x 0}" })).rejects.toThrow(/^--init must be JSON, got '\{x 0\}'/);
    await expect(run([edn], { init: "0", model: "multi-register" })).rejects.toThrow(
      /^--init: the initial state of multi-register must be an object of key → value, like \{"x":0,"y":0\}, got 0$/,
    );
    // the model is chosen per file: that file is bad input, the others are still checked
    const r = await run([edn, path.join(dir, "ok/history.jsonl")], { init: "[1]" });
    expect(r.code).toBe(254);
    expect(r.err).toEqual([
      `zk-chaos: ${edn}: --init: the initial state of multi-register must be an object of key → value, like {"x":0,"y":0}, got [1]`,
    ]);
    expect(r.out).toHaveLength(1);
    // a history no model judges cannot start anywhere
    t = 0;
    const odd = await run(
      [file("odd-init/history.jsonl", ev(0, "invoke", "frob", 1) + ev(0, "ok", "frob", 1))],
      {
        init: "0",
      },
    );
    expect(odd.code).toBe(254);
    expect(odd.err[0]).toMatch(
      /--init is a linearizability model's initial state, but no model judges this history/,
    );
  });

  it("a search past `--max-memory 1`: exit 2 and the reason on the line", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "zk-chaos-caps-")), "patho.jsonl");
    writeFileSync(file, writeJsonl(pathological(40, 100)));
    const out: string[] = [];
    const code = await checkCommand([file], { maxMemory: 1 }, { out: (l) => out.push(l), err: () => {} });
    expect(code).toBe(2);
    expect(out[0]).toMatch(/unknown .*linearizable\/cas-register unknown \(memory\)/);
  });

  it("exit codes rank bad input > invalid > unknown > valid", () => {
    expect(worstExit(0, 2)).toBe(2);
    expect(worstExit(2, 1)).toBe(1);
    expect(worstExit(1, 2)).toBe(1);
    expect(worstExit(1, 254)).toBe(254);
  });
});
