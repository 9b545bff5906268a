/**
 * What every evidence renderer gets and returns, and the small pieces they share: tables, values, the
 * client operations touching a time range.
 */
import type { CheckResult } from "../../checkers/checker.ts";
import { cutReason } from "../../checkers/history-completeness.ts";
import type { ResourceEvent } from "../../kernel/resource.ts";
import { compactJson, html, type Html } from "../html.ts";
import { fmtS, seconds, type RunModel, type Span } from "../run-model.ts";
import { spanTitle } from "../timeline.ts";
import type { MiniItem, MiniLane } from "./mini-timeline.ts";

export interface EvidenceContext {
  readonly name: string;
  readonly result: CheckResult;
  readonly model: RunModel;
  readonly resource: readonly ResourceEvent[];
  readonly test: Readonly<Record<string, unknown>>;
}

export interface Rendered {
  /** One line: what the checker found (shown in the summary table and the banner). */
  readonly summary: string;
  readonly body: Html;
}

export type Renderer = (ctx: EvidenceContext) => Rendered;

export type Cell = string | number | Html | null | undefined;

/** A table; string cells are escaped. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  cls = "evidence",
): Html {
  return html`<table class="${cls}">
    <thead>
      <tr>
        ${headers.map((h) => html`<th>${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            ${r.map((c) => html`<td>${c ?? ""}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** A table showing its first `shown` rows, the whole of it folded under a "show all" when longer. */
export function foldedTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  what: string,
  shown = 5,
): Html {
  if (rows.length <= shown + 2) return table(headers, rows);
  return html`${table(headers, rows.slice(0, shown))}
    <details>
      <summary>all ${rows.length} ${what}</summary>
      ${table(headers, rows)}
    </details>`;
}

/** A recorded value as short text. */
export const val = (v: unknown, max = 160): string => (typeof v === "string" ? v : compactJson(v, max));

/** A history / resource time (ns) as seconds text. */
export const nsText = (ns: unknown): string => (typeof ns === "number" ? fmtS(seconds(ns)) : "—");

export const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
export const arr = <T = Record<string, unknown>>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
export const rec = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "(showing the first 20 of 57)" when a list was capped by the checker or here. */
export function capNote(shown: number, total: number): Html {
  return total > shown ? html`<p class="note">Showing the first ${shown} of ${total}.</p>` : html``;
}

/** Client operations of `processes` (all when undefined) overlapping [from, to]. */
export function spansIn(model: RunModel, from: number, to: number, processes?: ReadonlySet<number>): Span[] {
  return model.spans.filter(
    (s) =>
      (processes === undefined || processes.has(s.process)) && s.start <= to && (s.end ?? Infinity) >= from,
  );
}

export const spanItem = (s: Span, label?: string): MiniItem => ({
  start: s.start,
  end: s.end,
  cls: s.type,
  title: spanTitle(s),
  label: label ?? `${s.f} → ${s.type}`,
});

/** One lane per process with its operations in [from, to]. */
export function processLanes(
  model: RunModel,
  from: number,
  to: number,
  processes: Iterable<number>,
  prefix = "process",
): MiniLane[] {
  return [...new Set(processes)]
    .sort((a, b) => a - b)
    .map((p) => ({
      label: `${prefix} ${p}`,
      items: spansIn(model, from, to, new Set([p])).map((s) => spanItem(s)),
    }));
}

/** The checker's error or reason for an unknown verdict, if any. */
export function undecided(r: CheckResult): Html {
  const why = typeof r.error === "string" ? r.error : typeof r.reason === "string" ? r.reason : undefined;
  return why === undefined ? html`` : html`<p class="why">Could not decide: ${why}</p>`;
}

/**
 * On a history cut before its final phase, what was not judged, when the verdict stands on the rest (an
 * unknown verdict says it through `undecided`).
 */
export function cutNote(r: CheckResult, notJudged: string): Html {
  if (typeof r.cut !== "string" || r.valid === "unknown") return html``;
  const why = cutReason({ reason: r.cut }, notJudged);
  return html`<p class="why">${why[0]!.toUpperCase()}${why.slice(1)}.</p>`;
}

/** "ok" / "INVALID" / "unknown" text of a verdict. */
export const verdictWord = (v: unknown): string =>
  v === true ? "valid" : v === false ? "INVALID" : "unknown";
