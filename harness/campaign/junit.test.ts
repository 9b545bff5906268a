import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { attr, junitXml, runCase, text, writeJUnit } from "./junit.ts";
import type { CampaignRun } from "./matrix.ts";
import type { RunRecord } from "./record.ts";

/** A strict little XML reader: well-formedness (one root, matched tags, known entities) and the tree. */
interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

function parseXml(xml: string): El {
  const decode = (s: string) => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(s)) throw new Error(`bad entity in ${s}`);
    return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
      e[0] === "#"
        ? String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
        : ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as Record<string, string>)[e]!,
    );
  };
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, "");
  if (body === xml) throw new Error("no XML declaration");
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const stack: El[] = [{ name: "#doc", attrs: {}, children: [], text: "" }];
  let i = 0;
  while (i < body.length) {
    token.lastIndex = i;
    const m = token.exec(body);
    if (!m) throw new Error(`not well-formed at ${i}: ${body.slice(i, i + 40)}`);
    i = token.lastIndex;
    const [, close, name, rawAttrs, selfClose, chars] = m;
    const top = stack.at(-1)!;
    if (chars !== undefined) {
      if (stack.length === 1 && chars.trim()) throw new Error("text outside the root");
      top.text += decode(chars);
    } else if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attrs: Record<string, string> = {};
      for (const a of rawAttrs!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        if (a[1]! in attrs) throw new Error(`attribute ${a[1]} twice`);
        attrs[a[1]!] = decode(a[2]!);
      }
      const el: El = { name: name!, attrs, children: [], text: "" };
      top.children.push(el);
      if (!selfClose) stack.push(el);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  if (stack[0]!.children.length !== 1) throw new Error("not exactly one root element");
  return stack[0]!.children[0]!;
}

const run = (
  index: number,
  workload: string,
  variant: string,
  nemesis: string[],
  seed: number,
): CampaignRun => ({
  index,
  workload,
  variant,
  nemesis,
  zkVersion: "3.8",
  seed,
});

const cwd = "/work/ci";
const records: RunRecord[] = [
  {
    run: run(1, "lock", "naive", ["partition", "client-pause"], 42),
    verdict: "invalid",
    seconds: 41.2345,
    firstViolationS: 12.34,
    dir: "/work/ci/results/lock-naive/20260101T000000Z",
    spec: { timeLimit: 30, nodes: 3 },
    checkers: {
      "lock-safety": {
        valid: false,
        overlapCount: 2,
        overlaps: [{ a: { holder: "c1" }, b: { holder: "c2" } }],
      },
      "lost-updates": { valid: false, lostUpdateCount: 1, lostUpdates: [{ read: 10, wrote: 11 }] },
      stats: { valid: true },
    },
    stats: { ops: 120 },
  },
  {
    run: run(2, "lock", "fenced", ["partition", "client-pause"], 42),
    verdict: "valid",
    seconds: 40,
    dir: "/work/ci/results/lock-fenced/20260101T000100Z",
    spec: { timeLimit: 30 },
    checkers: { "lock-safety": { valid: true } },
  },
  {
    run: run(3, "register", "plain", ["partition"], 42),
    verdict: "unknown",
    seconds: 50,
    dir: "/work/ci/results/register-plain/20260101T000200Z",
    spec: {},
    checkers: { linearizable: { valid: "unknown", error: "search timed out <60 s> & gave up" } },
  },
  {
    run: run(4, "queue", "naive", ["kill"], 42),
    verdict: "crashed",
    seconds: 3,
    error: 'ensemble start failed: port 5 "in use" <\u0007>',
    spec: {},
  },
  { run: run(5, "queue", "naive", ["kill"], 43), verdict: "skipped", seconds: 0, spec: {} },
];

describe("JUnit XML", () => {
  const doc = parseXml(
    junitXml(
      records.map((r) => runCase(r, cwd)),
      { name: "zk-chaos", timestamp: new Date("2026-01-01T00:00:00Z") },
    ),
  );
  const suites = doc.children;
  const cases = suites.flatMap((s) => s.children);
  const byName = (classname: string, name: string) =>
    cases.find((c) => c.attrs.classname === classname && c.attrs.name === name)!;

  it("testsuites > testsuite[name,tests,failures,errors,time] > testcase[classname,name,time]", () => {
    expect(doc.name).toBe("testsuites");
    expect(doc.attrs).toMatchObject({
      name: "zk-chaos",
      tests: "5",
      failures: "1",
      errors: "2",
      skipped: "1",
    });
    expect(suites.every((s) => s.name === "testsuite")).toBe(true);
    expect(suites.map((s) => s.attrs.name)).toEqual([
      "lock.naive",
      "lock.fenced",
      "register.plain",
      "queue.naive",
    ]);
    for (const s of suites) {
      for (const a of ["name", "tests", "failures", "errors", "time", "timestamp"])
        expect(s.attrs).toHaveProperty(a);
      expect(Number(s.attrs.tests)).toBe(s.children.length);
      expect(Number(s.attrs.failures)).toBe(
        s.children.filter((c) => c.children.some((x) => x.name === "failure")).length,
      );
      expect(Number(s.attrs.errors)).toBe(
        s.children.filter((c) => c.children.some((x) => x.name === "error")).length,
      );
      expect(s.attrs.time).toMatch(/^\d+\.\d{3}$/);
      for (const c of s.children) {
        expect(c.name).toBe("testcase");
        expect(c.attrs.classname).toBe(s.attrs.name);
        expect(c.attrs.name).toMatch(/ seed \d+$/);
        expect(c.attrs.time).toMatch(/^\d+\.\d{3}$/);
      }
    }
    expect(Number(doc.attrs.time)).toBeCloseTo(41.235 + 40 + 50 + 3, 2);
  });

  it("an invalid run: <failure type=invalid> with the evidence and the repro command", () => {
    const c = byName("lock.naive", "partition+client-pause seed 42");
    const failure = c.children.find((x) => x.name === "failure")!;
    expect(failure.attrs.type).toBe("invalid");
    expect(failure.attrs.message).toBe("invalid 12.3 s after the first op: lock-safety, lost-updates");
    expect(failure.text).toContain("lock-safety (false): overlapCount=2");
    expect(failure.text).toContain('overlaps[1] first: {"a":{"holder":"c1"}');
    expect(failure.text).toContain("lost-updates (false): lostUpdateCount=1");
    expect(failure.text).toContain("repro: npx zk-chaos repro results/lock-naive/20260101T000000Z");
    expect(failure.text).toContain(
      "repro: npx zk-chaos run --workload lock --variant naive --zk-version 3.8 --nodes 3 --time-limit 30 --nemesis partition,client-pause --seed 42",
    );
    const out = c.children.find((x) => x.name === "system-out")!;
    expect(out.text).toContain("results: results/lock-naive/20260101T000000Z");
  });

  it("a valid run has no failure; unknown and crashed are errors; never-run is skipped", () => {
    expect(byName("lock.fenced", "partition+client-pause seed 42").children.map((x) => x.name)).toEqual([
      "system-out",
    ]);
    const unknown = byName("register.plain", "partition seed 42").children[0]!;
    expect(unknown).toMatchObject({
      name: "error",
      attrs: { type: "unknown", message: "unknown: linearizable" },
    });
    expect(unknown.text).toContain('error="search timed out <60 s> & gave up"');
    const crashed = byName("queue.naive", "kill seed 42").children[0]!;
    expect(crashed.attrs.type).toBe("crashed");
    expect(crashed.attrs.message).toBe('harness error: ensemble start failed: port 5 "in use" <\ufffd>');
    expect(crashed.text).toContain(
      "repro: npx zk-chaos run --workload queue --variant naive --zk-version 3.8 --nemesis kill --seed 42",
    );
    expect(byName("queue.naive", "kill seed 43").children[0]).toMatchObject({ name: "skipped" });
  });
});

describe("testcase names", () => {
  it("name the ZooKeeper line only when the campaign spans several", () => {
    const dir = mkdtempSync(join(tmpdir(), "junit-"));
    const names = (rs: RunRecord[]): string[] => {
      const file = join(dir, "junit.xml");
      writeJUnit(file, rs);
      return [...readFileSync(file, "utf8").matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1]!);
    };
    const one = records[1]!;
    const other = { ...one, run: { ...one.run, zkVersion: "3.4" as const } };
    expect(names([one])).toEqual(["partition+client-pause seed 42"]);
    expect(names([one, other])).toEqual([
      "partition+client-pause seed 42 zk 3.8",
      "partition+client-pause seed 42 zk 3.4",
    ]);
  });
});

describe("a crashed run whose recording was checked (an uncaught error aborted it)", () => {
  const caseOf = (checkers: RunRecord["checkers"]) => {
    const r: RunRecord = {
      run: run(1, "lock", "naive", ["partition"], 7),
      verdict: "crashed",
      seconds: 12,
      dir: "/work/ci/results/lock-naive/20260101T000000Z",
      error: "uncaught error aborted the run: socket hang up",
      spec: {},
      ...(checkers ? { checkers } : {}),
    };
    const doc = parseXml(junitXml([runCase(r, cwd)], { name: "zk-chaos" }));
    return doc.children[0]!.children[0]!;
  };

  it("is an <error type=crashed>; a violation found in what it recorded is in its body, not hidden", () => {
    const c = caseOf({ "lock-safety": { valid: false, overlapCount: 1 }, stats: { valid: true } });
    const error = c.children[0]!;
    expect(error).toMatchObject({
      name: "error",
      attrs: { type: "crashed", message: "harness error: uncaught error aborted the run: socket hang up" },
    });
    expect(error.text.split("\n")).toEqual([
      "uncaught error aborted the run: socket hang up",
      "what it recorded was checked: invalid",
      "lock-safety (false): overlapCount=1",
      "repro: npx zk-chaos repro results/lock-naive/20260101T000000Z",
      "repro: npx zk-chaos run --workload lock --variant naive --zk-version 3.8 --nemesis partition --seed 7",
    ]);
    expect(c.children[1]!.text).toContain("results: results/lock-naive/20260101T000000Z");
    expect(caseOf({ x: { valid: "unknown" } }).children[0]!.text).toContain("checked: unknown");
    expect(caseOf({ x: { valid: true } }).children[0]!.text).toContain("checked: valid");
    expect(caseOf(undefined).children[0]!.text).not.toContain("checked");
  });
});

describe("the test's XML reader", () => {
  it("rejects what is not well-formed", () => {
    const decl = '<?xml version="1.0" encoding="UTF-8"?>\n';
    for (const bad of ["<a><b></a>", '<a x="&">', "<a>&nbsp;</a>", "<a/><b/>", "<a>", "<a>1 < 2</a>", "<a/>"])
      expect(() => parseXml(`${bad === "<a/>" ? "" : decl}${bad}`), bad).toThrow();
    expect(parseXml(`${decl}<a x="1">t<b/></a>`)).toMatchObject({ name: "a", attrs: { x: "1" }, text: "t" });
  });
});

describe("escaping", () => {
  it("text and attributes survive a round trip; characters XML forbids become U+FFFD", () => {
    const s = `a<b>&c "d" 'e'\nf\tg \u0001 😀 \ud800 ]]>`;
    const el = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n<x a="${attr(s)}">${text(s)}</x>`);
    const cleaned = s.replace("\u0001", "\ufffd").replace("\ud800", "\ufffd");
    expect(el.attrs.a).toBe(cleaned);
    expect(el.text).toBe(cleaned);
  });
});
