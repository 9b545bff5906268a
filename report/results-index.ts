/**
 * results/index.html: every run under one or more results folders (several CI machines' downloads merge
 * into one index) with workload, variant, nemesis, ZooKeeper version, seed, verdict, duration and a link to its
 * report; a sortable, filterable table, a trend of verdicts over time per configuration and per day, and where
 * runs span several ZooKeeper lines, each cell's verdicts side by side per line. Runs that died before checking
 * show as "incomplete"; unreadable files never stop the index.
 */
import { readdirSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { htmlDocument, writeFileAtomic } from "./document.ts";
import { html, num, type Html } from "./html.ts";
import { verdictKind, type VerdictKind } from "./report-page.ts";
import { isRunDir, readResults, readTest } from "./run-files.ts";
import { VERDICT_COLORS } from "./style.ts";
import { linesDisagree } from "../kernel/lines-disagree.ts";

export interface RunSummary {
  /** Absolute path of the run folder. */
  readonly dir: string;
  readonly workload: string;
  readonly variant: string;
  readonly nemesis: string;
  /** The ZooKeeper line asked for (test.json), "" for runs from before there was a choice. */
  readonly zk: string;
  /** The version the servers reported, or null. */
  readonly zookeeperVersion: string | null;
  readonly seed: string;
  readonly verdict: VerdictKind;
  /** ISO time the run started (test.json, else the folder's stamp or mtime). */
  readonly startedAt: string;
  /** Seconds of history (from the stats checker), or null. */
  readonly durationS: number | null;
  /** Checkers whose verdict was not valid. */
  readonly failing: string[];
  readonly hasReport: boolean;
}

const MAX_DEPTH = 8;

function runDirs(root: string, depth = 0, out: string[] = []): string[] {
  if (isRunDir(root)) {
    out.push(root);
    return out; // a run folder holds no further runs
  }
  if (depth >= MAX_DEPTH) return out;
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return out;
  }
  // symlinks (results/latest) are skipped: they point at runs found anyway
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name)))
    if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules")
      runDirs(join(root, e.name), depth + 1, out);
  return out;
}

/** "20250101T020000Z" (a RunStore stamp) as an ISO time. */
function stampTime(name: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(name);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : undefined;
}

const text = (v: unknown, dflt = "?"): string =>
  typeof v === "string"
    ? v
    : typeof v === "number"
      ? String(v)
      : Array.isArray(v)
        ? v.map(String).join(",")
        : dflt;

/** Summarise one run folder (never throws). */
export function summarizeRun(dir: string): RunSummary {
  const notes: string[] = [];
  const test = readTest(dir, notes);
  const results = readResults(dir, notes);
  const started =
    typeof test.startedAt === "string" && !Number.isNaN(Date.parse(test.startedAt))
      ? test.startedAt
      : undefined;
  let mtime: string;
  try {
    mtime = statSync(dir).mtime.toISOString();
  } catch {
    mtime = new Date(0).toISOString();
  }
  const stats = results?.checkers.stats;
  const durationMs = stats && typeof stats.durationMs === "number" ? stats.durationMs : undefined;
  let hasReport = false;
  try {
    hasReport = statSync(join(dir, "report.html")).isFile();
  } catch {
    // no report yet
  }
  return {
    dir,
    workload: text(test.workload),
    variant: text(test.variant, ""),
    nemesis: text(test.nemesis, ""),
    zk: text(test.zkVersion, ""),
    zookeeperVersion: results?.zookeeperVersion ?? null,
    seed: text(test.seed, ""),
    verdict: verdictKind(results),
    startedAt: started ?? stampTime(basename(dir)) ?? mtime,
    durationS: durationMs === undefined ? null : durationMs / 1000,
    failing: Object.entries(results?.checkers ?? {})
      .filter(([, r]) => r.valid !== true)
      .map(([n]) => n),
    hasReport,
  };
}

/** Every run under the roots, newest first, each folder once. */
export function scanRuns(roots: readonly string[]): RunSummary[] {
  const seen = new Set<string>();
  const out: RunSummary[] = [];
  for (const root of roots)
    for (const dir of runDirs(resolve(root))) {
      let key: string;
      try {
        key = realpathSync(dir);
      } catch {
        key = dir;
      }
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(summarizeRun(dir));
    }
  return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.dir.localeCompare(b.dir));
}

/** A relative URL from the index's folder to `target`. */
function hrefFrom(fromDir: string, target: string, trailingSlash = false): string {
  const rel = relative(fromDir, target).split(sep).map(encodeURIComponent).join("/");
  return (rel || ".") + (trailingSlash ? "/" : "");
}

/** A configuration: what runs of it compare across seeds and days (the ZooKeeper line is part of it). */
const cell = (r: RunSummary): string => `${r.workload}-${r.variant} · ${r.nemesis}`;
const config = (r: RunSummary): string => `${cell(r)}${r.zk ? ` · zk ${r.zk}` : ""}`;
const verdictWord = (v: VerdictKind): string => (v === "invalid" ? "INVALID" : v);
const vbadge = (v: VerdictKind): Html =>
  html`<span class="badge" style="background:${VERDICT_COLORS[v]}">${verdictWord(v)}</span>`;

function trendByConfig(runs: readonly RunSummary[], link: (r: RunSummary) => string): Html {
  const groups = new Map<string, RunSummary[]>();
  for (const r of [...runs].reverse()) {
    let g = groups.get(config(r));
    if (!g) groups.set(config(r), (g = []));
    g.push(r);
  }
  const LAST = 60;
  const rows = [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, rs]) => {
      const shown = rs.slice(-LAST);
      const cells = shown.map(
        (r, i) =>
          html`<a href="${link(r)}"
            ><rect x="${i * 14}" y="1" width="12" height="12" rx="2" fill="${VERDICT_COLORS[r.verdict]}"
              ><title>${r.startedAt} · seed ${r.seed} · ${verdictWord(r.verdict)}</title></rect
            ></a
          >`,
      );
      const count = (v: VerdictKind) => rs.filter((r) => r.verdict === v).length;
      return html`<tr>
        <td>${name}</td>
        <td>
          <svg
            class="strip"
            width="${shown.length * 14}"
            height="14"
            viewBox="0 0 ${shown.length * 14} 14"
            role="img"
            aria-label="verdicts of ${name}"
          >
            ${cells}
          </svg>
        </td>
        <td class="num">${count("valid")}</td>
        <td class="num">${count("invalid")}</td>
        <td class="num">${count("unknown") + count("incomplete")}</td>
      </tr>`;
    });
  return html`<table class="trend">
    <thead>
      <tr>
        <th>configuration</th>
        <th>verdicts, oldest → newest (last ${LAST})</th>
        <th>valid</th>
        <th>invalid</th>
        <th>unknown / incomplete</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function trendByDay(runs: readonly RunSummary[]): Html {
  const days = new Map<string, Record<VerdictKind, number>>();
  for (const r of runs) {
    const d = r.startedAt.slice(0, 10);
    let c = days.get(d);
    if (!c) days.set(d, (c = { valid: 0, invalid: 0, unknown: 0, incomplete: 0 }));
    c[r.verdict]++;
  }
  const list = [...days].sort(([a], [b]) => a.localeCompare(b)).slice(-90);
  if (list.length < 2) return html``;
  const W = 1100;
  const H = 160;
  const left = 40;
  const bottom = 30;
  const max = Math.max(...list.map(([, c]) => c.valid + c.invalid + c.unknown + c.incomplete));
  const bw = Math.min(40, (W - left - 10) / list.length);
  const y = (n: number) => ((H - bottom - 10) * n) / max;
  const order: VerdictKind[] = ["valid", "unknown", "incomplete", "invalid"];
  const bars = list.map(([day, c], i) => {
    let acc = 0;
    const x = left + i * bw;
    const parts = order.map((v) => {
      const h = y(c[v]);
      const y0 = H - bottom - y(acc) - h;
      acc += c[v];
      return c[v]
        ? html`<rect
            x="${num(x + 1)}"
            y="${num(y0)}"
            width="${num(bw - 2)}"
            height="${num(h)}"
            fill="${VERDICT_COLORS[v]}"
            ><title>${day}: ${c[v]} ${v}</title></rect
          >`
        : html``;
    });
    const label =
      list.length <= 16 || i % Math.ceil(list.length / 16) === 0
        ? html`<text class="tick" x="${num(x + bw / 2)}" y="${H - bottom + 14}" text-anchor="middle"
            >${day.slice(5)}</text
          >`
        : html``;
    return html`${parts}${label}`;
  });
  return html`<h3>Runs per day</h3>
    <svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="verdicts per day">
      <text class="tick" x="${left - 6}" y="14" text-anchor="end">${max}</text>
      <line class="grid" x1="${left}" x2="${W - 10}" y1="${H - bottom}" y2="${H - bottom}" />
      ${bars}
    </svg>`;
}

/**
 * Where runs span several ZooKeeper lines: one row per cell (workload-variant · nemesis), a column per line
 * with its verdict counts; rows whose lines disagree come first, marked ≠.
 */
function byVersion(runs: readonly RunSummary[]): Html {
  const versions = [...new Set(runs.map((r) => r.zk).filter((v) => v !== ""))].sort();
  if (versions.length < 2) return html``;
  const cells = new Map<string, Map<string, RunSummary[]>>();
  for (const r of runs) {
    if (!r.zk) continue;
    const row = cells.get(cell(r)) ?? new Map<string, RunSummary[]>();
    cells.set(cell(r), row);
    row.set(r.zk, [...(row.get(r.zk) ?? []), r]);
  }
  const order: VerdictKind[] = ["invalid", "unknown", "incomplete", "valid"];
  const rows = [...cells].map(([name, row]) => {
    const differs = linesDisagree(versions.map((v) => (row.get(v) ?? []).map((r) => r.verdict)));
    const tds = versions.map((v) => {
      const rs = row.get(v) ?? [];
      if (rs.length === 0) return html`<td class="muted">—</td>`;
      const counts = order
        .map((k) => [k, rs.filter((r) => r.verdict === k).length] as const)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => html`${vbadge(k)} ${n} `);
      return html`<td>${counts}</td>`;
    });
    return {
      name,
      differs,
      tr: html`<tr class="${differs ? "differs" : ""}">
        <td>${differs ? "≠" : ""}</td>
        <td>${name}</td>
        ${tds}
      </tr>`,
    };
  });
  rows.sort((a, b) => Number(b.differs) - Number(a.differs) || a.name.localeCompare(b.name));
  const differing = rows.filter((r) => r.differs).length;
  return html`<section id="versions">
    <h2>By ZooKeeper version</h2>
    <p class="muted">
      ${differing} of ${rows.length} cells differ between ZooKeeper lines (≠: the lines' verdicts disagree).
    </p>
    <table class="versions">
      <thead>
        <tr>
          <th></th>
          <th>cell</th>
          ${versions.map((v) => html`<th>zk ${v}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map((r) => r.tr)}
      </tbody>
    </table>
  </section>`;
}

/** Sorting by a header click and the filter box; the page's only script (allowed by its hash). */
const SCRIPT = `(function(){
var t=document.getElementById("runs");if(!t)return;var body=t.tBodies[0];var ths=t.tHead.rows[0].cells;
Array.prototype.forEach.call(ths,function(th,i){th.addEventListener("click",function(){
var asc=th.getAttribute("aria-sort")!=="ascending";Array.prototype.forEach.call(ths,function(h){h.removeAttribute("aria-sort")});
th.setAttribute("aria-sort",asc?"ascending":"descending");var isNum=th.getAttribute("data-type")==="num";
var key=function(r){var c=r.cells[i];var v=c.getAttribute("data-v");return v===null?c.textContent:v};
var rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){var x=key(a),y=key(b);
var c=isNum?(parseFloat(x)||0)-(parseFloat(y)||0):x.localeCompare(y);return asc?c:-c});
rows.forEach(function(r){body.appendChild(r)})})});
var f=document.getElementById("filter");if(f)f.addEventListener("input",function(){var q=f.value.toLowerCase();
Array.prototype.forEach.call(body.rows,function(r){r.hidden=q!==""&&r.textContent.toLowerCase().indexOf(q)<0})});
})();`;

/** The index page's HTML; links are relative to `outDir`. */
export function renderIndex(
  runs: readonly RunSummary[],
  outDir: string,
  roots: readonly string[],
  generatedAt = new Date(),
): string {
  const link = (r: RunSummary) =>
    r.hasReport ? hrefFrom(outDir, join(r.dir, "report.html")) : hrefFrom(outDir, r.dir, true);
  const count = (v: VerdictKind) => runs.filter((r) => r.verdict === v).length;
  const rows = runs.map(
    (r) =>
      html`<tr>
        <td data-v="${r.startedAt}">${r.startedAt.replace("T", " ").replace(/\.\d+Z$/, "Z")}</td>
        <td>${r.workload}</td>
        <td>${r.variant}</td>
        <td>${r.nemesis}</td>
        <td class="num" data-v="${r.seed}">${r.seed}</td>
        <td title="${r.zookeeperVersion ?? ""}">${r.zk || "—"}</td>
        <td class="wrap" data-v="${["invalid", "unknown", "incomplete", "valid"].indexOf(r.verdict)}">
          ${vbadge(r.verdict)}${r.failing.length ? html` <span class="muted">${r.failing.join(", ")}</span>` : ""}
        </td>
        <td class="num" data-v="${r.durationS ?? -1}">
          ${r.durationS === null ? "—" : `${r.durationS.toFixed(1)} s`}
        </td>
        <td><a href="${link(r)}">${r.hasReport ? "report" : "folder"}</a></td>
        <td class="mono muted wrap">${relative(outDir, r.dir) || "."}</td>
      </tr>`,
  );
  const body = html`<main>
    <header
      class="banner v-${count("invalid") ? "invalid" : count("unknown") + count("incomplete") ? "unknown" : "valid"}"
    >
      <h1>zk-chaos runs</h1>
      <div class="sub">
        ${runs.length} runs: ${count("valid")} valid, ${count("invalid")} invalid, ${count("unknown")}
        unknown, ${count("incomplete")} incomplete · from ${roots.join(", ")}
      </div>
    </header>
    <section id="trend">
      <h2>Trend</h2>
      ${runs.length ? html`${trendByConfig(runs, link)}${trendByDay(runs)}` : html`<p class="muted">No runs yet.</p>`}
    </section>
    ${byVersion(runs)}
    <section id="all">
      <h2>All runs</h2>
      <input
        id="filter"
        class="filter"
        type="search"
        placeholder="filter (workload, verdict, seed, …)"
        aria-label="filter runs"
      />
      <table id="runs" class="idx">
        <thead>
          <tr>
            <th data-type="text" aria-sort="descending">started (UTC)</th>
            <th data-type="text">workload</th>
            <th data-type="text">variant</th>
            <th data-type="text">nemesis</th>
            <th data-type="num">seed</th>
            <th data-type="text">zk</th>
            <th data-type="num">verdict</th>
            <th data-type="num">duration</th>
            <th data-type="text">report</th>
            <th data-type="text">folder</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
      <p class="note">Click a column to sort. Generated by zk-chaos, ${generatedAt.toISOString()}.</p>
    </section>
  </main>`;
  return htmlDocument({ title: "zk-chaos runs", body, scripts: [SCRIPT] });
}

/** Scan `roots` for run folders and write the index to `outFile` (links relative to its folder). */
export function writeResultsIndex(roots: string[], outFile: string): { runs: number } {
  const out = resolve(outFile);
  const runs = scanRuns(roots);
  writeFileAtomic(out, renderIndex(runs, dirname(out), roots));
  return { runs: runs.length };
}
