/**
 * report.html of one run, from its stored files only: verdict banner, one section per checker with its
 * evidence, the operation timeline and perf plots with nemesis windows shaded, the spec and repro command,
 * links to the raw files. One self-contained file: inline CSS and SVG, no script, a CSP that forbids any
 * fetch.
 */
import { join } from "node:path";
import type { CheckResult } from "../checkers/checker.ts";
import { cutReason, historyCompleteness } from "../checkers/history-completeness.ts";
import { renderEvidence } from "./evidence/index.ts";
import { table, verdictWord, type Cell } from "./evidence/common.ts";
import { htmlDocument, writeFileAtomic } from "./document.ts";
import { compactJson, fileHref, html, type Html } from "./html.ts";
import { latencyQuantiles, latencyScatter, throughput } from "./plots.ts";
import { buildRunModel, faultContextSpan, fmtS, type RunModel } from "./run-model.ts";
import { readRunFiles, type RunFiles } from "./run-files.ts";
import { runHealthBlock } from "./run-health.ts";
import { VERDICT_COLORS } from "./style.ts";
import { timeline } from "./timeline.ts";

export type VerdictKind = "valid" | "invalid" | "unknown" | "incomplete";

export function verdictKind(results: { valid: unknown } | null): VerdictKind {
  if (!results) return "incomplete";
  return results.valid === true ? "valid" : results.valid === false ? "invalid" : "unknown";
}

export const badge = (v: unknown): Html => {
  const kind = v === true ? "valid" : v === false ? "invalid" : "unknown";
  return html`<span class="badge" style="background:${VERDICT_COLORS[kind]}">${verdictWord(v)}</span>`;
};

const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;

function section(id: string, title: string, body: () => Html): Html {
  let inner: Html;
  try {
    inner = body();
  } catch (err) {
    inner = html`<p class="why">
      This section could not be drawn: ${err instanceof Error ? err.message : String(err)}
    </p>`;
  }
  return html`<section id="${id}">
    <h2>${title}</h2>
    ${inner}
  </section>`;
}

const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9-]+/g, "-");

const rank = (v: unknown): number => (v === false ? 0 : v === true ? 2 : 1);

interface CheckerView {
  name: string;
  result: CheckResult;
  summary: string;
  body: Html;
}

function checkerViews(files: RunFiles, model: RunModel): CheckerView[] {
  const entries = Object.entries(files.results?.checkers ?? {});
  return entries
    .map(([name, result]) => {
      try {
        const r = renderEvidence({ name, result, model, resource: files.resource, test: files.test });
        return { name, result, ...r };
      } catch (err) {
        return {
          name,
          result,
          summary: "could not be drawn",
          body: html`<p class="why">${err instanceof Error ? err.message : String(err)}</p>
            <pre>${compactJson(result, 20_000)}</pre>`,
        };
      }
    })
    .sort(
      (a, b) =>
        rank(a.result.valid) - rank(b.result.valid) ||
        (a.name === "stats" ? 1 : 0) - (b.name === "stats" ? 1 : 0),
    );
}

function banner(files: RunFiles, views: CheckerView[], model: RunModel): Html {
  const kind = verdictKind(files.results);
  const t = files.test;
  const title = kind === "incomplete" ? "INCOMPLETE" : kind.toUpperCase();
  const sub = [
    `${str(t.workload) ?? "?"} --variant ${str(t.variant) ?? "?"}`,
    `nemesis ${Array.isArray(t.nemesis) ? t.nemesis.join(",") : (str(t.nemesis) ?? "?")}`,
    `seed ${str(t.seed) ?? "?"}`,
    `${str(t.nodes) ?? "?"} nodes, ${str(t.clients) ?? "?"} clients`,
    str(t.startedAt) ? `started ${str(t.startedAt)}` : "",
  ].filter(Boolean);
  const bad = views.filter((v) => v.result.valid !== true);
  const findings: Html[] =
    kind === "incomplete"
      ? [
          html`<li>
            The run did not finish checking (no usable results.json): what was recorded is drawn below.
            Re-check it with <code>zk-chaos check ${files.dir}</code>.
          </li>`,
        ]
      : bad.map(
          (v) =>
            html`<li>
              <a href="#checker-${slug(v.name)}"><b>${v.name}</b></a> ${verdictWord(v.result.valid)}:
              ${v.summary}
            </li>`,
        );
  if (kind === "valid") findings.push(html`<li>Every checker passed (${views.length}).</li>`);
  const first = files.results?.firstViolationS;
  if (first !== undefined)
    findings.push(html`<li>First violation ${first} s after the first client operation.</li>`);
  const whole = historyCompleteness(files.history);
  if (!whole.whole) {
    const why = cutReason(whole, "what only the final phase would have read back is not judged");
    findings.push(html`<li>${why[0]!.toUpperCase()}${why.slice(1)}.</li>`);
  }
  if (model.unavailable.length) {
    const total = model.unavailable.reduce((a, u) => a + u.end - u.start, 0);
    findings.push(
      html`<li>
        Unavailable ${model.unavailable.length}× for ${fmtS(total)} in all (no operation completed ok while
        some were in flight) — see the <a href="#timeline">timeline</a>.
      </li>`,
    );
  }
  if (model.crashes.length) {
    const retired = model.crashes.filter((c) => c.retired).map((c) => `c${c.slot}`);
    findings.push(
      html`<li>
        A client process crashed
        ${model.crashes.length}×${retired.length ? ` (stopped for good: ${retired.join(", ")})` : ""} — see
        <a href="#crashes">client crashes</a>.
      </li>`,
    );
  }
  return html`<header id="verdict" class="banner v-${kind}">
    <h1>${title}</h1>
    <div class="sub">${sub.join(" · ")}</div>
    <ul>
      ${findings}
    </ul>
  </header>`;
}

function checkersSection(views: CheckerView[]): Html {
  if (views.length === 0)
    return html`<p class="muted">No checker results (the run did not finish checking).</p>`;
  const summary = table(
    ["checker", "verdict", "finding"],
    views.map((v) => [
      html`<a href="#checker-${slug(v.name)}">${v.name}</a>`,
      badge(v.result.valid),
      v.summary,
    ]),
    "summary",
  );
  const each = views.map(
    (v) =>
      html`<section class="checker${v.result.valid === false ? " bad" : ""}" id="checker-${slug(v.name)}">
        <h3>${v.name} ${badge(v.result.valid)}</h3>
        <p class="finding">${v.summary}</p>
        ${v.body}
      </section>`,
  );
  return html`${summary}${each}`;
}

function faultsTable(model: RunModel): Html {
  const MAX = 300;
  const rows: Cell[][] = model.windows
    .slice(0, MAX)
    .map((w) => [
      w.fault,
      w.label,
      fmtS(w.start),
      w.end === null ? "not healed" : fmtS(w.end),
      w.end === null ? "" : fmtS(w.end - w.start),
    ]);
  const fails = model.nemesisFailures.map((n) => [fmtS(n.time), n.error]);
  const unav = model.unavailable
    .slice(0, MAX)
    .map((u) => [
      fmtS(u.start),
      fmtS(u.end),
      fmtS(u.end - u.start),
      faultContextSpan(model.windows, u.start, u.end),
    ]);
  const crashes = model.crashes
    .slice(0, MAX)
    .map((c) => [
      fmtS(c.time),
      `c${c.slot} (process ${c.process})`,
      `${c.f} → ${c.type}`,
      c.exit,
      c.retired
        ? `${c.inARow} in a row: client stopped for the rest of the run`
        : c.inARow > 1
          ? `${c.inARow} in a row`
          : "",
      c.stderr.length ? html`<pre>${c.stderr.join("\n")}</pre>` : "",
    ]);
  return html`${
    crashes.length
      ? html`<h3 id="crashes">Client crashes</h3>
          <p class="note">
            A client process that died on its own: the op it had in flight is info (unknown), or, between ops,
            its next op failed unrun; a fresh client with a new session took the slot.
          </p>
          ${table(["time", "client", "op", "exit", "", "last lines of its stderr"], crashes)}${model.crashes.length > MAX ? html`<p class="note">First ${MAX} of ${model.crashes.length}.</p>` : ""}`
      : ""
  }${
    rows.length
      ? html`<h3>Faults</h3>
          ${table(["fault", "what", "start", "end", "length"], rows)}${model.windows.length > MAX ? html`<p class="note">First ${MAX} of ${model.windows.length}.</p>` : ""}`
      : html`<p class="muted">No faults were injected.</p>`
  }${
    fails.length
      ? html`<h3>Nemesis actions that failed</h3>
          ${table(["time", "error"], fails)}`
      : ""
  }${
    unav.length
      ? html`<h3>Unavailability</h3>
          ${table(["from", "to", "length", "nemesis"], unav)}${model.unavailable.length > MAX ? html`<p class="note">First ${MAX} of ${model.unavailable.length}.</p>` : ""}`
      : ""
  }`;
}

function runSection(files: RunFiles, model: RunModel, repro: readonly string[]): Html {
  const t = files.test;
  const images =
    t.images !== null && typeof t.images === "object" ? (t.images as Record<string, unknown>) : {};
  const spec: Cell[][] = Object.entries(t)
    .filter(([k]) => k !== "images")
    .map(([k, v]) => [k, typeof v === "string" ? v : compactJson(v, 400)]);
  const imageRows: Cell[][] = Object.entries(images).map(([k, v]) => [
    k,
    typeof v === "string" ? v : compactJson(v, 400),
  ]);
  const stats = files.results?.stats ?? {};
  const statRows: Cell[][] = Object.entries(stats).map(([k, v]) => [
    k,
    typeof v === "string" ? v : compactJson(v, 200),
  ]);
  const [again, ...asNew] = repro;
  return html`<h3>Reproduce</h3>
    ${
      again === undefined
        ? html`<p class="note">
            Rebuild this report with <code>zk-chaos report</code> to see the repro commands.
          </p>`
        : html`<pre>${again}</pre>`
    }
    ${asNew.length ? html`<p class="note">or, the same spec and seed as a new run:</p>` : ""}
    ${asNew.map((line) => html`<pre>${line}</pre>`)}
    <h3>Spec</h3>
    ${table(["field", "value"], spec, "kv")}${
      imageRows.length
        ? html`<h3>Images</h3>
            ${table(["image", "reference"], imageRows, "kv")}`
        : ""
    }
    <h3>Run statistics</h3>
    ${table(["", ""], [["history span", `${fmtS(model.t0)} – ${fmtS(model.t1)} (${fmtS(model.t1 - model.t0)})`], ["client operations", String(model.spans.length)], ...statRows], "kv")}`;
}

function filesSection(files: RunFiles): Html {
  const spec = files.test;
  const nodes = typeof spec.nodes === "number" ? spec.nodes : 0;
  // The run writes report.html before it collects the server logs: link the expected ones as well.
  const nodeLogs = [
    ...new Set([...Array.from({ length: nodes }, (_, i) => `zk${i + 1}.log`), ...files.nodeLogs]),
  ].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const link = (rel: string, what: string) => html`<li><a href="${fileHref(rel)}">${rel}</a> — ${what}</li>`;
  return html`<ul>
    ${link("history.jsonl", "every operation and nemesis event, one JSON object per line")}${link("results.json", "the checkers' verdicts and evidence")}${link(
      "test.json",
      "the spec, seed and images",
    )}${link("harness.log", "the harness's log (pino JSON)")}${link("resource.jsonl", "the guarded resource's own log")}${nodeLogs.map(
      (n) => link(`nodes/${n}`, n.startsWith("zk") ? "ZooKeeper server log" : "log"),
    )}
  </ul>`;
}

/** The report's HTML. */
/**
 * The page of a run. `repro`: the commands that reproduce it (`zk-chaos repro DIR`, then the equivalent
 * `run` line), as the CLI writes them; the report does not know the CLI's flags.
 */
export function renderReport(
  files: RunFiles,
  repro: readonly string[] = [],
  generatedAt = new Date(),
): string {
  const clients = typeof files.test.clients === "number" ? files.test.clients : undefined;
  const model = buildRunModel(files.history, clients);
  const views = checkerViews(files, model);
  const t = files.test;
  const kind = verdictKind(files.results);
  const title = `${kind.toUpperCase()} · ${str(t.workload) ?? "?"} ${str(t.variant) ?? ""} · seed ${str(t.seed) ?? "?"} · zk-chaos`;
  const notes = files.notes.length
    ? html`<div class="notes" id="notes">
        <b>Read with problems:</b>
        <ul>
          ${files.notes.map((n) => html`<li>${n}</li>`)}
        </ul>
      </div>`
    : html``;
  const body = html`<main>
    ${banner(files, views, model)}${runHealthBlock(files.results?.health)}
    <nav>
      <a href="#checkers">Checkers</a><a href="#timeline">Timeline</a><a href="#latency">Latency</a
      ><a href="#throughput">Throughput</a><a href="#run">Run and repro</a><a href="#files">Files</a
      ><a href="../../index.html">All runs</a>
    </nav>
    ${notes}${section("checkers", "Checkers", () =>
      checkersSection(views),
    )}${section("timeline", "Timeline", () => html`${timeline(model)}${faultsTable(model)}`)}${section(
      "latency",
      "Latency",
      () =>
        html`${latencyScatter(model)}
          <h3 id="quantiles">Latency quantiles over time</h3>
          ${latencyQuantiles(model)}`,
    )}${section("throughput", "Throughput", () => throughput(model))}${section("run", "Run and repro", () =>
      runSection(files, model, repro),
    )}${section("files", "Files", () => filesSection(files))}
    <p class="note">
      Generated by zk-chaos from the files in this folder, ${generatedAt.toISOString()}. Rebuild with
      <code>zk-chaos report ${files.dir}</code>.
    </p>
  </main>`;
  return htmlDocument({ title, body });
}

/** Write runDir/report.html from its stored files (or `files` already read), replacing it at once, never half-written. */
/** One line per checker that did not pass, as the report's banner says it ("lock-safety INVALID: …"). */
export function findingLines(files: RunFiles): string[] {
  const clients = typeof files.test.clients === "number" ? files.test.clients : undefined;
  return checkerViews(files, buildRunModel(files.history, clients))
    .filter((v) => v.result.valid !== true)
    .map((v) => `${v.name} ${verdictWord(v.result.valid)}: ${v.summary}`);
}

export function writeReport(
  runDir: string,
  files: RunFiles = readRunFiles(runDir),
  repro: readonly string[] = [],
): void {
  writeFileAtomic(join(runDir, "report.html"), renderReport(files, repro));
}
