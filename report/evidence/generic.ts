/**
 * Any checker's result, including users' own: scalar fields as a table, lists of records as tables, the
 * rest as compact JSON, and the whole result as JSON to expand. Also the stats checker's latency table.
 */
import { compactJson, html, type Html } from "../html.ts";
import { fmtMs, fmtS } from "../run-model.ts";
import { rec, table, undecided, type Cell, type EvidenceContext, type Rendered } from "./common.ts";

const MAX_ROWS = 50;
const MAX_COLS = 12;
const RAW_LIMIT = 100_000;

const isScalar = (v: unknown): boolean => v === null || ["string", "number", "boolean"].includes(typeof v);

/** A cell for a field: times that look like history nanoseconds get seconds beside them. */
function cell(key: string, v: unknown): Cell {
  if (typeof v === "number" && /(^|[a-z])(time|start|end|Time|Start|End)$/.test(key) && v > 1e6)
    return `${v} (${fmtS(v / 1e9)})`;
  return isScalar(v) ? String(v) : compactJson(v, 200);
}

function recordsTable(rows: readonly unknown[]): Html {
  const objs = rows.slice(0, MAX_ROWS).map(rec);
  const cols: string[] = [];
  for (const o of objs)
    for (const k of Object.keys(o)) if (!cols.includes(k) && cols.length < MAX_COLS) cols.push(k);
  return html`${table(
    cols,
    objs.map((o) => cols.map((c) => (o[c] === undefined ? "" : cell(c, o[c])))),
  )}${rows.length > MAX_ROWS ? html`<p class="note">Showing the first ${MAX_ROWS} of ${rows.length}.</p>` : ""}`;
}

/** One-line summary of an unknown checker's result. */
function genericSummary(r: Record<string, unknown>): string {
  if (typeof r.error === "string") return `error: ${r.error}`;
  if (typeof r.reason === "string") return r.reason;
  const ev = rec(r.evidence);
  if (typeof ev.message === "string") return ev.message;
  if (typeof r.message === "string") return r.message;
  const counts = Object.entries(r)
    .filter(([k, v]) => k.endsWith("Count") && typeof v === "number" && (v > 0 || r.valid === false))
    .map(([k, v]) => `${k.slice(0, -5)} ${String(v)}`);
  return counts.join(", ");
}

export function rawJson(v: unknown): Html {
  let text: string;
  try {
    text = JSON.stringify(v, null, 2) ?? String(v);
  } catch {
    text = String(v);
  }
  const cut = text.length > RAW_LIMIT;
  return html`<details class="raw">
    <summary>Result as JSON${cut ? ` (first ${RAW_LIMIT / 1000}k characters)` : ""}</summary>
    <pre>${cut ? text.slice(0, RAW_LIMIT) : text}</pre>
  </details>`;
}

export function renderGeneric(ctx: EvidenceContext): Rendered {
  const r = ctx.result as Record<string, unknown>;
  const scalars = Object.entries(r).filter(([k, v]) => k !== "valid" && isScalar(v));
  const lists = Object.entries(r).filter(([, v]) => Array.isArray(v) && v.length > 0);
  const objects = Object.entries(r).filter(
    ([, v]) => v !== null && typeof v === "object" && !Array.isArray(v),
  );
  const listHtml = lists.map(([k, v]) => {
    const xs = v as unknown[];
    return xs.every((x) => x !== null && typeof x === "object" && !Array.isArray(x))
      ? html`<h4>${k} (${xs.length})</h4>
          ${recordsTable(xs)}`
      : html`<h4>${k} (${xs.length})</h4>
          <p class="mono">
            ${xs
              .slice(0, 100)
              .map((x) => (isScalar(x) ? String(x) : compactJson(x, 120)))
              .join(", ")}${xs.length > 100 ? ", …" : ""}
          </p>`;
  });
  const objHtml = objects.length
    ? table(
        ["field", "value"],
        objects.map(([k, v]) => [k, compactJson(v, 400)]),
      )
    : html``;
  return {
    summary: genericSummary(r),
    body: html`${undecided(ctx.result)}${
      scalars.length
        ? table(
            ["field", "value"],
            scalars.map(([k, v]) => [k, cell(k, v)]),
            "kv",
          )
        : ""
    }${listHtml}${objHtml}${rawJson(r)}`,
  };
}

/** The stats checker: counts and latency quantiles per f and outcome (the plots are in their own section). */
export function renderStats(ctx: EvidenceContext): Rendered {
  const r = ctx.result as Record<string, unknown>;
  const ops = rec(r.ops);
  const latency = rec(r.latency);
  const rows: Cell[][] = [];
  for (const [f, byType] of Object.entries(latency))
    for (const [type, s0] of Object.entries(rec(byType))) {
      const s = rec(s0);
      const m = (k: string) => (typeof s[k] === "number" ? fmtMs(s[k] as number) : "");
      rows.push([
        f,
        type,
        String(s.count ?? ""),
        m("mean"),
        m("p50"),
        m("p90"),
        m("p95"),
        m("p99"),
        m("max"),
      ]);
    }
  const n = (k: string) => (typeof ops[k] === "number" ? (ops[k] as number) : 0);
  return {
    summary: `${n("invoke")} operations: ${n("ok")} ok, ${n("fail")} fail, ${n("info")} info${n("unfinished") ? `, ${n("unfinished")} unfinished` : ""}${typeof r.durationMs === "number" ? ` over ${fmtS(r.durationMs / 1000)}` : ""}`,
    body: html`${undecided(ctx.result)}${table(["operations", "ok", "fail", "info", "unfinished"], [[n("invoke"), n("ok"), n("fail"), n("info"), n("unfinished")]], "counts")}${
        rows.length
          ? html`<h4>Latency by operation and outcome</h4>
              ${table(["f", "outcome", "count", "mean", "p50", "p90", "p95", "p99", "max"], rows)}`
          : ""
      }
      <p class="note">Always valid: it measures. The plots below draw the same data over time.</p>`,
  };
}
