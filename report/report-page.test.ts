import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkAfterHeal } from "../checkers/after-heal.ts";
import { worst, type CheckResult } from "../checkers/checker.ts";
import { checkDuplicateWrites } from "../checkers/duplicate-writes.ts";
import { checkLeaderSafety } from "../checkers/leader-safety.ts";
import { checkLinearizable } from "../checkers/linearizable/linearizable.ts";
import { casRegister } from "../checkers/linearizable/models/cas-register.ts";
import { multiRegister } from "../checkers/linearizable/models/multi-register.ts";
import type { ResourceEvent } from "../kernel/resource.ts";
import { checkSessionOrder } from "../checkers/session-order.ts";
import { checkStaleReads } from "../checkers/stale-reads.ts";
import { checkStats } from "../checkers/stats.ts";
import { history, mark, seq } from "../checkers/testing/history.ts";
import { checkTotalQueue } from "../checkers/total-queue.ts";
import { BadInputError } from "../kernel/errors.ts";
import type { Op } from "../kernel/op.ts";
import { findingLines, writeReport } from "./report-page.ts";
import { readRunFiles } from "./run-files.ts";
import { writeSyntheticRun } from "./testing/synthetic.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "zk-chaos-report-test-"));
const S = 1e9;

/** A run folder from parts; results judged by the given checker results. */
function writeRun(
  ops: Op[],
  checkers: Record<string, CheckResult>,
  resource: ResourceEvent[] = [],
  test: Record<string, unknown> = { workload: "queue", variant: "naive", seed: 3, clients: 2, nodes: 3 },
): string {
  const dir = tmp();
  writeFileSync(join(dir, "test.json"), JSON.stringify(test));
  writeFileSync(join(dir, "history.jsonl"), ops.map((o) => JSON.stringify(o)).join("\n") + "\n");
  writeFileSync(join(dir, "resource.jsonl"), resource.map((o) => JSON.stringify(o)).join("\n") + "\n");
  const valid = worst(...Object.values(checkers).map((c) => c.valid));
  writeFileSync(join(dir, "results.json"), JSON.stringify({ valid, checkers, stats: {} }));
  return dir;
}

/** The report's HTML with runs of spaces and line breaks as single spaces. */
const report = (dir: string, repro: string[] = []): string => {
  writeReport(dir, undefined, repro);
  return readFileSync(join(dir, "report.html"), "utf8").replace(/[ \t\r\n]+/g, " ");
};

/** The helper's times (10 per position) as seconds: position i at i s. */
const timed = (ops: Op[]): Op[] => ops.map((o) => ({ ...o, time: o.time * 0.1 * S }));

describe("report.html of a failing lock run", () => {
  const dir = tmp();
  writeSyntheticRun(dir, { ops: 3000 });
  const page = report(dir, [
    "npx zk-chaos repro results/lock-naive/20260101T000000Z",
    "npx zk-chaos run --workload lock --nemesis partition,client-pause --zk-image 'a<b'",
  ]);

  it("gives the CLI the same finding lines as the banner, failing checkers only", () => {
    const lines = findingLines(readRunFiles(dir));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^lock-safety INVALID: 1 pair of accepted critical sections overlapped: c\d/);
    expect(lines.some((l) => l.startsWith("stats"))).toBe(false);
  });

  it("leads with the verdict, the spec and the failing checker's finding", () => {
    expect(page).toMatch(/<header id="verdict" class="banner v-invalid"> ?<h1>INVALID<\/h1>/);
    expect(page).toContain("lock --variant naive");
    expect(page).toContain("seed 1");
    expect(page).toMatch(
      /<b>lock-safety<\/b><\/a> INVALID: 1 pair of accepted critical sections overlapped: c\d/,
    );
  });

  it("has a section per checker, the timeline, the plots, the repro command and the file links", () => {
    for (const id of [
      "checkers",
      "checker-lock-safety",
      "checker-stats",
      "timeline",
      "latency",
      "throughput",
      "run",
      "files",
    ])
      expect(page).toContain(`id="${id}"`);
    expect(page).toContain('aria-label="operation timeline"');
    expect(page).toContain('aria-label="latency of every operation"');
    expect(page).toContain('aria-label="latency quantiles over time"');
    expect(page).toContain('aria-label="throughput over time"');
    expect(page).toContain("<pre>npx zk-chaos repro results/lock-naive/20260101T000000Z</pre>");
    expect(page).toContain("--nemesis partition,client-pause --zk-image &#39;a&lt;b&#39;</pre>");
    for (const f of [
      "history.jsonl",
      "results.json",
      "harness.log",
      "resource.jsonl",
      "nodes/zk1.log",
      "nodes/zk3.log",
    ])
      expect(page).toContain(`href="${f}"`);
  });

  it("shades the nemesis windows and names them", () => {
    expect(page).toContain('class="nem nem-partition"');
    expect(page).toContain('class="nem nem-pause-client"');
    expect(page).toContain("partition halves zk1 zk2 | zk3 (blackhole)");
  });

  it("is self-contained: no script, nothing fetched, a CSP that forbids both", () => {
    expect(page).not.toMatch(/<script|<link|<img|<iframe|src=|@import|url\(/i);
    expect(page).toContain(`content="default-src 'none'`);
    expect(page).toContain("script-src 'none'");
  });
});

describe("report.html of other runs", () => {
  it("a run that died before checking: INCOMPLETE, and what was recorded is still drawn", () => {
    const dir = tmp();
    writeSyntheticRun(dir, { ops: 200, withoutResults: true });
    // torn last line, as a killed harness leaves it
    writeFileSync(
      join(dir, "history.jsonl"),
      readFileSync(join(dir, "history.jsonl"), "utf8") + '{"index":9999,"ti',
    );
    const page = report(dir);
    expect(page).toContain("<h1>INCOMPLETE</h1>");
    expect(page).toContain("results.json: absent");
    expect(page).toContain('aria-label="operation timeline"');
    expect(page).not.toContain("unreadable line");
  });

  it("says when the first violation came, counted from the first client op; an old results.json says nothing", () => {
    const dir = writeRun([], { "lock-safety": { valid: false } });
    const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as object;
    expect(report(dir)).not.toContain("First violation");
    writeFileSync(join(dir, "results.json"), JSON.stringify({ ...results, firstViolationS: 4.2 }));
    expect(report(dir)).toContain("First violation 4.2 s after the first client operation.");
  });

  it("refuses a folder that is not a run", () => {
    expect(() => writeReport(tmp())).toThrow(BadInputError);
    expect(() => writeReport(join(tmp(), "missing"))).toThrow(BadInputError);
  });

  it("total-queue: the lost and the duplicated items with the operations on them", () => {
    const ops = timed(
      history(
        ...seq(0, "enqueue", 1, "ok"),
        ...seq(1, "enqueue", 2, "ok"),
        ...seq(0, "enqueue", 3, "ok"),
        ...seq(1, "dequeue", null, "ok", 1),
        ...seq(0, "dequeue", null, "ok", 1),
        ...seq(1, "drain", null, "ok", [2]),
      ),
    );
    const page = report(writeRun(ops, { "total-queue": checkTotalQueue(ops) }));
    expect(page).toContain(
      "1 acknowledged item lost (first 3, enqueued at 4.000\u00a0s with no fault active)",
    );
    expect(page).toContain("1 item dequeued more than once (first 1 ×2, again at 8.000\u00a0s");
    expect(page).toContain("dequeue by process 0 8.000\u00a0s–9.000\u00a0s → ok");
    expect(page).toContain('aria-label="operations on a duplicated item"');
  });

  it("total-queue on a history cut before its drain: unknown, the reason in the banner and the section", () => {
    const main = [...mark("main"), ...seq(0, "enqueue", 1, "ok"), ...seq(1, "enqueue", 2, "ok")];
    const ops = timed(history(...main, ...seq(1, "dequeue", null, "ok", 1)));
    const page = report(writeRun(ops, { "total-queue": checkTotalQueue(ops) }));
    expect(page).toContain("<h1>UNKNOWN</h1>");
    expect(page).toContain(
      "total-queue</b></a> unknown: history cut before the final phase (the final phase never ran): 1 acknowledged item not dequeued by then, not judged lost",
    );
    expect(page).toContain(
      "<li>History cut before the final phase (the final phase never ran): what only the final phase would have read back is not judged.</li>",
    );
    expect(page).toContain("Could not decide: history cut before the final phase");
    expect(page).toContain("Not dequeued before the history was cut");
    expect(page).not.toContain("acknowledged item lost");
  });

  it("total-queue on a cut history with a duplicate: INVALID, and what the cut leaves unjudged said beside it", () => {
    const ops = timed(
      history(
        ...mark("main"),
        ...seq(0, "enqueue", 1, "ok"),
        ...seq(1, "enqueue", 2, "ok"),
        ...seq(1, "dequeue", null, "ok", 1),
        ...seq(0, "dequeue", null, "ok", 1),
      ),
    );
    const page = report(writeRun(ops, { "total-queue": checkTotalQueue(ops) }));
    expect(page).toContain("<h1>INVALID</h1>");
    expect(page).toContain(
      "1 item dequeued more than once (first 1 ×2, again at 8.000\u00a0s with no fault active); 1 acknowledged item not dequeued before the history was cut: not judged",
    );
    expect(page).toContain(
      "History cut before the final phase (the final phase never ran): acknowledged items not dequeued by then are not judged lost.",
    );
  });

  it("a whole history says nothing of a cut", () => {
    const ops = timed(
      history(
        ...mark("main"),
        ...seq(0, "enqueue", 1, "ok"),
        ...mark("final"),
        ...seq(0, "drain", null, "ok", [1]),
        ...mark("done"),
      ),
    );
    const page = report(writeRun(ops, { "total-queue": checkTotalQueue(ops) }));
    expect(page).toContain("<h1>VALID</h1>");
    expect(page).not.toContain("cut before the final phase");
  });

  it("after-heal: the last heal, the bound, the attempts past it and the listing with its leak", () => {
    const at = (
      process: number | "nemesis",
      type: Op["type"],
      f: string,
      value: unknown,
      t: number,
      extra = {},
    ) => ({ index: 0, process, type, f, value, time: t * S, ...extra }) as Op;
    const behind = "not acquired: timeout behind lock-0x5-0000000003";
    const ops = [
      at("nemesis", "invoke", "phase", "main", 0),
      at("nemesis", "info", "phase", "main", 0),
      at("nemesis", "invoke", "start-partition", null, 10),
      at("nemesis", "info", "start-partition", null, 10),
      at("nemesis", "invoke", "stop-partition", null, 20),
      at("nemesis", "info", "stop-partition", null, 20),
      at("nemesis", "invoke", "phase", "final", 25),
      at("nemesis", "info", "phase", "final", 25),
      at(0, "invoke", "critical", null, 25),
      at(0, "fail", "critical", null, 37, { error: behind, session: "0xa" }),
      at(0, "invoke", "critical", null, 37.5),
      at(0, "fail", "critical", null, 50, { error: behind, session: "0xa" }),
      at(0, "invoke", "ephemerals", null, 50),
      at(
        0,
        "ok",
        "ephemerals",
        {
          roots: ["/l"],
          sessionTimeoutMs: 4000,
          waitedMs: 6000,
          nodes: [
            { path: "/l/lock-0x5-0000000003", owner: null },
            { path: "/l/lock-0x9-0000000004", owner: "0x9" },
          ],
        },
        56.1,
        { session: "0xa" },
      ),
      at("nemesis", "invoke", "phase", "done", 57),
      at("nemesis", "info", "phase", "done", 57),
    ].map((o, index) => ({ ...o, index }));
    const result = checkAfterHeal(ops, { progress: ["critical"], ephemerals: ["/l"] });
    const page = report(writeRun(ops, { "after-heal": result }));
    expect(page).toContain(`no critical succeeded after the last heal (2 tried; the last: ${behind})`);
    expect(page).toContain(
      "1 ephemeral znodes owned by sessions no client holds (first /l/lock-0x9-0000000004 of session 0x9)",
    );
    expect(page).toContain('aria-label="after the last heal"');
    expect(page).toContain("bound 29.000\u00a0s after the last heal");
    expect(page).toContain("ephemeral of a session no client holds");
    expect(page).toContain("persistent");
    expect(page).toContain("listings a session timeout after the heal count: a fault ran");
  });

  it("leader-safety: the deposed leader's write after its successor's first", () => {
    const ev = (time: number, holder: string, epoch: number): ResourceEvent => ({
      time: time * S,
      holder,
      op: "write",
      accepted: true,
      epoch,
    });
    const resource = [ev(1, "c0/0xa", 1), ev(2, "c1/0xb", 2), ev(3, "c0/0xa", 1)];
    const page = report(writeRun([], { "leader-safety": checkLeaderSafety(resource) }, resource));
    expect(page).toContain("1 write accepted from a deposed leader; first: c0/0xa at 3.000");
    expect(page).toContain("after c1/0xb first wrote at 2.000");
    expect(page).toContain('aria-label="writes of a deposed leader and its successor"');
  });

  it("duplicate-writes: an event applied twice, one never applied", () => {
    const ops = timed(history(...seq(0, "emit", "e1", "ok"), ...seq(1, "emit", "e2", "ok")));
    const w = (time: number, id: string, holder: string): ResourceEvent => ({
      time: time * S,
      holder,
      op: "write",
      accepted: true,
      id,
    });
    const resource = [w(1, "e1", "c0/0xa"), w(2, "e1", "c1/0xb")];
    const page = report(
      writeRun(ops, { "duplicate-writes": checkDuplicateWrites(ops, resource, { fs: ["emit"] }) }, resource),
    );
    expect(page).toContain("1 event applied more than once (first e1 ×2, again at 2.000");
    expect(page).toContain("1 acknowledged event never applied (first e2)");
  });

  it("duplicate-writes on a cut history: an event not yet applied is not judged lost", () => {
    const ops = timed(history(...mark("main"), ...seq(0, "emit", "e1", "ok"), ...seq(1, "emit", "e2", "ok")));
    const resource: ResourceEvent[] = [
      { time: 1 * S, holder: "c0/0xa", op: "write", accepted: true, id: "e1" },
    ];
    const page = report(
      writeRun(ops, { "duplicate-writes": checkDuplicateWrites(ops, resource, { fs: ["emit"] }) }, resource),
    );
    expect(page).toContain(
      "duplicate-writes</b></a> unknown: history cut before the final phase (the final phase never ran): 1 acknowledged write not applied by then, not judged lost",
    );
    expect(page).toContain("Acknowledged, not applied before the history was cut");
    expect(page).not.toContain("never applied (first e2)");
  });

  it("session-order: a zxid that went back, with its time", () => {
    const ops = timed(
      history(
        [0, "invoke", "read", null],
        [0, "ok", "read", { zxid: 5 }, undefined, { session: "0xs", node: "zk1" }],
        [0, "invoke", "read", null],
        [0, "ok", "read", { zxid: 3 }, undefined, { session: "0xs", node: "zk2" }],
      ),
    );
    const page = report(writeRun(ops, { "session-order": checkSessionOrder(ops) }));
    expect(page).toContain(
      "1 read saw an older zxid than its session had seen; first: session 0xs saw 3 on zk2 after 5 on zk1",
    );
    expect(page).toContain('aria-label="sessions whose zxid went back"');
  });

  it("session-order: recorded zxids and servers label the session's operations on the time axis", () => {
    const ops = timed(
      history(
        [0, "invoke", "read", null],
        [0, "ok", "read", 1, undefined, { session: "0xs", node: "zk1", zxid: "0x205", zxidPath: "/r" }],
        [0, "invoke", "read", null],
        [0, "ok", "read", 1, undefined, { session: "0xs", node: "zk3", zxid: "0x203", zxidPath: "/r" }],
      ),
    );
    const page = report(writeRun(ops, { "session-order": checkSessionOrder(ops) }));
    expect(page).toContain("first: session 0xs saw 515 on zk3 after 517 on zk1");
    expect(page).toContain("read 0x203 @zk3");
    expect(page).toContain("read 0x205 @zk1");
    expect(page).toMatch(
      /class="lin-failed"[^>]*\/><title>process 0: read null → ok 1 · [^<]* · zk3 · zxid 0x203/,
    );
  });

  it("linearizable: the operations around the stuck one on a time axis, the prefix numbered", () => {
    const ops = timed(
      history(
        ...seq(0, "write", 1, "ok"),
        [1, "invoke", "read", null],
        [2, "invoke", "write", 2],
        [2, "ok", "write", 2],
        [1, "ok", "read", 3],
      ),
    );
    const lin = checkLinearizable(ops, casRegister(null));
    expect(lin.valid).toBe(false);
    const page = report(writeRun(ops, { linearizable: lin }));
    expect(page).toContain('aria-label="operations around the first non-linearizable one"');
    expect(page).toContain("Longest linearizable prefix: <b>");
    expect(page).toContain('class="lin-failed"');
    expect(page).toContain('class="lin-prefix"');
    expect(page).toMatch(/#1 write\(1\)/);
  });

  it("stale-reads: tallied by server, the first drawn with the write it missed", () => {
    const ops = timed(
      history(
        [0, "invoke", "write", 1],
        [0, "ok", "write", 1, undefined, { node: "zk3" }],
        [0, "invoke", "write", 2],
        [0, "ok", "write", 2, undefined, { node: "zk3" }],
        [1, "invoke", "read", null],
        [1, "ok", "read", 1, undefined, { node: "zk1" }],
      ),
    );
    const page = report(writeRun(ops, { "stale-reads": checkStaleReads(ops) }));
    expect(page).toContain(
      "1 stale read (by server: zk1 1); first: process 1 read 1 @zk1 at 4.000\u00a0s, after write 2 @zk3 was acknowledged",
    );
    expect(page).toContain('aria-label="stale reads and the writes they missed"');
    expect(page).toContain("read → 1 @zk1");
    expect(page).toContain("write 2 @zk3");
  });

  it("linearizable: the stale read names the server that served it", () => {
    const at = (node: string) => ({ node, session: `s-${node}` });
    const ops = timed(
      history(
        [0, "invoke", "write", 1],
        [0, "ok", "write", 1, undefined, at("zk1")],
        [0, "invoke", "write", 2],
        [0, "ok", "write", 2, undefined, at("zk1")],
        [1, "invoke", "read", null],
        [1, "ok", "read", 1, undefined, at("zk3")],
      ),
    );
    const page = report(writeRun(ops, { linearizable: checkLinearizable(ops, casRegister(null)) }));
    expect(page).toContain("no order could include read() → 1 (process 1, history index 4, served by zk3)");
    expect(page).toContain("✗ read() → 1 @zk3");
    expect(page).toContain("<td>read() → 1</td><td>zk3</td>");
  });

  it("linearizable over multi-register: a torn snapshot drawn among the txns it cut across", () => {
    const w = (k: string, v: number) => ["w", k, v];
    const r = (k: string, v: number | null) => ["r", k, v];
    const ops = timed(
      history(
        [0, "invoke", "txn", [r("x", null), r("y", null)]],
        [1, "invoke", "txn", [w("x", 1), w("y", 2)]],
        [1, "ok", "txn", [w("x", 1), w("y", 2)]],
        [0, "ok", "txn", [r("x", null), r("y", 2)]],
      ),
    );
    const lin = checkLinearizable(ops, multiRegister());
    expect(lin.valid).toBe(false);
    const page = report(
      writeRun(ops, { linearizable: lin }, [], {
        workload: "multi",
        variant: "separate",
        seed: 1,
        clients: 2,
      }),
    );
    expect(page).toContain('aria-label="operations around the first non-linearizable one"');
    expect(page).toContain("multi-register");
    expect(page).toMatch(/#1 txn\(\[w x 1\] \[w y 2\]\)/);
    expect(page).toMatch(/class="lin-failed"[^]*✗ txn\(\[r x nil\] \[r y 2\]\)/);
  });

  it("an unknown checker's result is shown as data; an undecided one says why", () => {
    const page = report(
      writeRun([], {
        "my-checker": { valid: false, badCount: 2, bad: [{ key: "k1", time: 2 * S }], note: "x" },
        slow: { valid: "unknown", error: "timed out" },
        stats: checkStats([]),
      }),
    );
    expect(page).toContain('id="checker-my-checker"');
    expect(page).toContain("bad 2");
    expect(page).toContain("2000000000 (2.000\u00a0s)");
    expect(page).toContain("Could not decide: timed out");
  });
});

describe("client crashes", () => {
  it("are findings: the banner counts them, a table gives when, the exit and the stderr tail (as text)", () => {
    const crash = (slot: number, inARow: number, retired: boolean) => ({
      slot,
      time: 4.5 * S,
      code: 1,
      signal: null,
      stderr: ["Error: Exception: CONNECTION_LOSS[-4] <b>", "Node.js v20"],
      inARow,
      retired,
    });
    const ops = history(
      [0, "invoke", "acquire", null, 1 * S],
      [0, "ok", "acquire", null, 2 * S],
      [1, "invoke", "acquire", null, 4 * S],
      [
        1,
        "info",
        "acquire",
        null,
        4.5 * S,
        { error: "client crashed (exit code 1)", crash: crash(1, 3, true) },
      ],
      [0, "invoke", "release", null, 5 * S],
      [0, "fail", "release", null, 5.1 * S, { crash: { ...crash(0, 1, false), signal: "SIGSEGV" } }],
    );
    const page = report(writeRun(ops, { stats: { valid: true } }));
    expect(page).toMatch(/A client process crashed 2× \(stopped for good: c1\)/);
    expect(page).toContain('<h3 id="crashes">Client crashes</h3>');
    expect(page).toContain("c1 (process 1)");
    expect(page).toContain("acquire → info");
    expect(page).toContain("exit code 1");
    expect(page).toContain("release → fail");
    expect(page).toContain("SIGSEGV");
    expect(page).toContain("3 in a row: client stopped for the rest of the run");
    expect(page).toContain("CONNECTION_LOSS[-4] &lt;b&gt;");
  });

  it("a run without any has no such section", () => {
    const ops = history(...seq(0, "acquire", null, "ok"));
    const page = report(writeRun(ops, { stats: { valid: true } }));
    expect(page).not.toContain("Client crashes");
    expect(page).not.toContain("crashed");
  });
});

describe("recorded data is escaped everywhere", () => {
  const payload = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;

  it("values, errors, names, nemesis values, holders and users' checkers show as text", () => {
    const dir = tmp();
    writeSyntheticRun(dir, {
      ops: 400,
      payload,
      extraCheckers: {
        [`evil${payload}`]: { valid: false, message: payload, rows: [{ [payload]: payload }] },
      },
    });
    mkdirSync(join(dir, "nodes"), { recursive: true });
    writeFileSync(join(dir, "nodes", `zk<b>".log`), "");
    const page = report(dir);
    expect(page).not.toMatch(/<script|<img|onerror="|<b>"/i);
    expect(page).toContain("zk&lt;b&gt;&quot;.log");
    expect(page).toContain(
      "&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;",
    );
    expect(page).toContain('href="nodes/zk%3Cb%3E%22.log"');
  });
});

describe("size", () => {
  it("a 100k-operation run's report stays under 5 MB", () => {
    const dir = tmp();
    writeSyntheticRun(dir, { ops: 100_000, seconds: 300 });
    writeReport(dir);
    expect(statSync(join(dir, "report.html")).size).toBeLessThanOrEqual(5 * 1024 * 1024);
  }, 60_000);
});
