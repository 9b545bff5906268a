/**
 * JUnit XML, the shape CI systems read (Jenkins, GitLab, GitHub test reporters): testsuites > testsuite
 * (one per workload.variant) > testcase, one per run. An invalid run is a <failure type="invalid"> with the
 * checkers' evidence and the repro command; unknown or crashed is an <error> (a crashed run's with the
 * check of what it recorded, if any); a run never started is <skipped/>.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { evidenceSummary, notValid } from "./evidence.ts";
import { nemesisLabel, runClass } from "./matrix.ts";
import { shownPath } from "../runner/command-line.ts";
import { recordRepro, type RunRecord } from "./record.ts";

export type JUnitOutcome =
  | { readonly kind: "passed" }
  | {
      readonly kind: "failure" | "error";
      readonly type: string;
      readonly message: string;
      readonly body: string;
    }
  | { readonly kind: "skipped"; readonly message: string };

export interface JUnitCase {
  readonly classname: string;
  readonly name: string;
  readonly seconds: number;
  readonly outcome: JUnitOutcome;
  readonly systemOut?: string;
}

/** The testcase of one campaign run; `namesVersion`: its name says its ZooKeeper line (the campaign spans several). */
export function runCase(r: RunRecord, cwd = process.cwd(), namesVersion = false): JUnitCase {
  const repro = recordRepro(r, cwd)
    .map((l) => `repro: ${l}`)
    .join("\n");
  const bad = notValid(r.checkers ?? {});
  const evidence = evidenceSummary(r.checkers ?? {}).join("\n");
  const outcome: JUnitOutcome =
    r.verdict === "valid"
      ? { kind: "passed" }
      : r.verdict === "invalid"
        ? {
            kind: "failure",
            type: "invalid",
            message: `invalid${r.firstViolationS !== undefined ? ` ${r.firstViolationS.toFixed(1)} s after the first op` : ""}: ${bad.filter((n) => r.checkers![n]!.valid === false).join(", ")}`,
            body: `${evidence}\n${repro}`,
          }
        : r.verdict === "unknown"
          ? {
              kind: "error",
              type: "unknown",
              message: `unknown: ${bad.join(", ") || "no verdict"}`,
              body: `${evidence}\n${repro}`,
            }
          : r.verdict === "crashed"
            ? {
                kind: "error",
                type: "crashed",
                message: `harness error: ${r.error ?? "unknown"}`,
                body: [r.error ?? "", ...recordedCheck(r), repro].join("\n"),
              }
            : { kind: "skipped", message: "not run: the campaign was interrupted" };
  return {
    classname: runClass(r.run),
    name: `${nemesisLabel(r.run)} seed ${r.run.seed}${namesVersion ? ` zk ${r.run.zkVersion}` : ""}`,
    seconds: r.seconds,
    outcome,
    ...(r.dir
      ? {
          systemOut: `results: ${shownPath(r.dir, cwd)}\nreport: ${shownPath(join(r.dir, "report.html"), cwd)}`,
        }
      : {}),
  };
}

/**
 * What the check of a crashed run's recording found, when it got that far (a run an uncaught error aborted
 * still heals and checks): a safety violation in it must not hide behind the crash.
 */
function recordedCheck(r: RunRecord): string[] {
  const checkers = r.checkers ?? {};
  const names = Object.keys(checkers);
  if (names.length === 0) return [];
  const bad = notValid(checkers);
  const found = bad.some((n) => checkers[n]!.valid === false) ? "invalid" : bad.length ? "unknown" : "valid";
  return [`what it recorded was checked: ${found}`, ...evidenceSummary(checkers)];
}

/** The XML document; suites in order of first appearance of their classname. */
export function junitXml(cases: readonly JUnitCase[], opts: { name: string; timestamp?: Date }): string {
  const suites = new Map<string, JUnitCase[]>();
  for (const c of cases) suites.set(c.classname, [...(suites.get(c.classname) ?? []), c]);
  const stamp = (opts.timestamp ?? new Date()).toISOString().replace(/\.\d+Z$/, "");
  const counts = (cs: readonly JUnitCase[]) => ({
    tests: cs.length,
    failures: cs.filter((c) => c.outcome.kind === "failure").length,
    errors: cs.filter((c) => c.outcome.kind === "error").length,
    skipped: cs.filter((c) => c.outcome.kind === "skipped").length,
    time: secs(cs.reduce((t, c) => t + c.seconds, 0)),
  });
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`];
  out.push(`<testsuites${attrs({ name: opts.name, ...counts(cases) })}>`);
  let id = 0;
  for (const [name, cs] of suites) {
    out.push(`  <testsuite${attrs({ name, ...counts(cs), timestamp: stamp, id: id++ })}>`);
    for (const c of cs) out.push(...testcase(c));
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`, "");
  return out.join("\n");
}

function testcase(c: JUnitCase): string[] {
  const head = `    <testcase${attrs({ classname: c.classname, name: c.name, time: secs(c.seconds) })}`;
  const inner: string[] = [];
  const o = c.outcome;
  if (o.kind === "failure" || o.kind === "error")
    inner.push(`      <${o.kind}${attrs({ message: o.message, type: o.type })}>${text(o.body)}</${o.kind}>`);
  else if (o.kind === "skipped") inner.push(`      <skipped${attrs({ message: o.message })}/>`);
  if (c.systemOut !== undefined) inner.push(`      <system-out>${text(c.systemOut)}</system-out>`);
  return inner.length === 0 ? [`${head}/>`] : [`${head}>`, ...inner, `    </testcase>`];
}

/** Write the document for `records`, creating the folder. */
export function writeJUnit(file: string, records: readonly RunRecord[], name = "zk-chaos"): void {
  mkdirSync(dirname(file), { recursive: true });
  const several = new Set(records.map((r) => r.run.zkVersion)).size > 1;
  writeFileSync(
    file,
    junitXml(
      records.map((r) => runCase(r, undefined, several)),
      { name },
    ),
  );
}

const secs = (s: number): string => (Math.round(s * 1000) / 1000).toFixed(3);

// A surrogate pair (kept), or a character XML 1.0 does not allow: most C0 controls, a lone surrogate, U+FFFE/F.
const CHARS =
  // eslint-disable-next-line no-control-regex
  /[\ud800-\udbff][\udc00-\udfff]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/g;
const clean = (s: string): string => s.replace(CHARS, (m) => (m.length === 2 ? m : "\ufffd"));

/** Escaped element text. */
export const text = (s: string): string =>
  clean(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Escaped attribute value (newlines and tabs kept as character references). */
export const attr = (s: string): string =>
  text(s)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");

const attrs = (o: Record<string, string | number>): string =>
  Object.entries(o)
    .map(([k, v]) => ` ${k}="${attr(String(v))}"`)
    .join("");
