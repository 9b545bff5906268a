/**
 * Performance plots (after Jepsen's perf graphs), nemesis windows shaded: latency of every operation
 * (scatter, log scale), latency quantiles over time, and throughput by outcome over time. The scatter is
 * downsampled to one dot per occupied 3-pixel cell per outcome, so its size is bounded by the chart's
 * area, not by the number of operations.
 */
import { html, joinHtml, num, type Html } from "./html.ts";
import type { Outcome, RunModel, Span } from "./run-model.ts";
import {
  axes,
  faultClass,
  legend,
  linear,
  logScale,
  plotArea,
  shadeUnavailable,
  shadeWindows,
  svg,
  type Frame,
} from "./svg.ts";

const WIDTH = 1100;
const CELL = 3;
/** Time buckets of the quantile and throughput plots. */
const BUCKETS = 120;

const frame = (height: number): Frame => ({ width: WIDTH, height, left: 64, right: 10, top: 8, bottom: 36 });

const completed = (s: Span): s is Span & { end: number } => s.end !== null;
const latencyMs = (s: Span & { end: number }) => Math.max(0.001, (s.end - s.start) * 1000);

function windowLegend(model: RunModel, extra: { cls: string; label: string }[]): Html {
  const kinds = [...new Set(model.windows.map((w) => w.fault))];
  return legend([...extra, ...kinds.map((k) => ({ cls: faultClass(k), label: k }))]);
}

/** Latency scatter: x = invoke time, y = latency (ms, log), coloured by outcome. */
export function latencyScatter(model: RunModel): Html {
  const f = frame(300);
  const { x0, x1, y0, y1 } = plotArea(f);
  const done = model.spans.filter(completed);
  let hi = 1;
  let lo = Infinity;
  for (const s of done) {
    const l = latencyMs(s);
    if (l > hi) hi = l;
    if (l < lo) lo = l;
  }
  const x = linear([model.t0, model.t1], [x0, x1]);
  const y = logScale([Math.min(Math.max(lo, 0.01), 1) * 0.8, hi * 1.25], [y1, y0]);
  const types: Outcome[] = ["ok", "fail", "info"];
  const cells = new Map<Outcome, Set<number>>(types.map((t) => [t, new Set()]));
  const cols = Math.ceil((x1 - x0) / CELL) + 1;
  for (const s of done) {
    const cx = Math.floor((x(s.start) - x0) / CELL);
    const cy = Math.floor((y(latencyMs(s)) - y0) / CELL);
    cells.get(s.type)?.add(cy * cols + cx);
  }
  // fail and info on top of ok: the rare outcomes must stay visible
  const paths = (["ok", "fail", "info"] as const).map((t) => {
    let d = "";
    for (const c of cells.get(t)!) {
      const cx = c % cols;
      const cy = (c - cx) / cols;
      d += `M${x0 + cx * CELL + 1.5} ${y0 + cy * CELL + 1.5}h0`;
    }
    return d ? html`<path class="dots ${t}" d="${d}" />` : html``;
  });
  const body = html`${shadeWindows(model.windows, x, y0, y1)}${axes(f, x, y, "seconds since test start (invocation)", "latency (ms)")}${paths}${shadeUnavailable(model.unavailable, x, y1)}`;
  return html`${windowLegend(model, [
      { cls: "ok", label: "ok" },
      { cls: "fail", label: "fail" },
      { cls: "info", label: "info" },
    ])}${svg(f, body, "latency of every operation")}
    <p class="note">
      ${done.length} completed
      operations${model.spans.length - done.length ? `, ${model.spans.length - done.length} never completed (not drawn)` : ""}.
    </p>`;
}

/** Nearest-rank quantile of a sorted array. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function buckets(model: RunModel): { width: number; n: number; at: (t: number) => number } {
  // about 25 completions per bucket, so quantiles mean something, within [20, BUCKETS]
  const n = Math.min(BUCKETS, Math.max(20, Math.floor(model.spans.length / 25)));
  const width = (model.t1 - model.t0) / n;
  return { width, n, at: (t) => Math.min(n - 1, Math.max(0, Math.floor((t - model.t0) / width))) };
}

const QUANTILES: readonly { q: number; cls: string; label: string }[] = [
  { q: 0.5, cls: "q50", label: "median" },
  { q: 0.95, cls: "q95", label: "95th" },
  { q: 0.99, cls: "q99", label: "99th" },
  { q: 1, cls: "qmax", label: "max" },
];

/** Latency quantiles per time bucket (by completion time), all operations that completed. */
export function latencyQuantiles(model: RunModel): Html {
  const f = frame(260);
  const { x0, x1, y0, y1 } = plotArea(f);
  const b = buckets(model);
  const per: number[][] = Array.from({ length: b.n }, () => []);
  for (const s of model.spans) if (completed(s)) per[b.at(s.end)]!.push(latencyMs(s));
  let hi = 1;
  let lo = Infinity;
  const qs = per.map((xs) => {
    xs.sort((a, c) => a - c);
    const v = QUANTILES.map((q) => quantile(xs, q.q));
    for (const y of v) if (Number.isFinite(y)) [hi, lo] = [Math.max(hi, y), Math.min(lo, y)];
    return v;
  });
  const x = linear([model.t0, model.t1], [x0, x1]);
  const y = logScale([Math.min(Math.max(lo, 0.01), 1) * 0.8, hi * 1.25], [y1, y0]);
  const lines = QUANTILES.map((q, k) => {
    let d = "";
    let pen = false;
    for (let i = 0; i < b.n; i++) {
      const v = qs[i]![k]!;
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      // a lone point shows as a dot (round caps)
      d += `${pen ? "L" : "M"}${num(x(model.t0 + (i + 0.5) * b.width))} ${num(y(v))}${pen ? "" : "h0"}`;
      pen = true;
    }
    return html`<path class="line ${q.cls}" d="${d}" />`;
  });
  const body = html`${shadeWindows(model.windows, x, y0, y1)}${axes(f, x, y, "seconds since test start (completion)", "latency (ms)")}${lines}`;
  return html`${windowLegend(
      model,
      QUANTILES.map((q) => ({ cls: q.cls, label: q.label })),
    )}${svg(f, body, "latency quantiles over time")}
    <p class="note">Per ${b.width.toFixed(2)} s bucket; gaps are buckets where nothing completed.</p>`;
}

/** Throughput per outcome over time (completions per second). */
export function throughput(model: RunModel): Html {
  const f = frame(240);
  const { x0, x1, y0, y1 } = plotArea(f);
  const b = buckets(model);
  const types = ["ok", "fail", "info"] as const;
  const counts = types.map(() => new Float64Array(b.n));
  for (const s of model.spans) {
    if (!completed(s)) continue;
    const k = types.indexOf(s.type as (typeof types)[number]);
    if (k >= 0) counts[k]![b.at(s.end)]!++;
  }
  let hi = 1;
  for (const c of counts) for (const v of c) hi = Math.max(hi, v / b.width);
  const x = linear([model.t0, model.t1], [x0, x1]);
  const y = linear([0, hi * 1.1], [y1, y0]);
  const lines = types.map((t, k) => {
    let d = "";
    for (let i = 0; i < b.n; i++) {
      const px0 = num(x(model.t0 + i * b.width));
      const px1 = num(x(model.t0 + (i + 1) * b.width));
      const py = num(y(counts[k]![i]! / b.width));
      d += `${i === 0 ? "M" : "L"}${px0} ${py}L${px1} ${py}`;
    }
    return html`<path class="line ${t}-line" d="${d}" />`;
  });
  const body = html`${shadeWindows(model.windows, x, y0, y1)}${axes(f, x, y, "seconds since test start", "ops/s")}${joinHtml(lines)}${shadeUnavailable(model.unavailable, x, y1)}`;
  return html`${windowLegend(model, [
      { cls: "ok-line", label: "ok/s" },
      { cls: "fail-line", label: "fail/s" },
      { cls: "info-line", label: "info/s" },
    ])}${svg(f, body, "throughput over time")}
    <p class="note">Completions per second in ${b.width.toFixed(2)} s buckets.</p>`;
}
