/**
 * The operation timeline (after Jepsen's timeline.html, turned sideways): one lane per client, every
 * operation a bar from invoke to completion coloured by outcome, nemesis windows as labelled bars on top
 * and shaded through the lanes. Up to DETAIL_LIMIT operations each bar carries its details as a tooltip;
 * above that, each lane is binned to pixel columns coloured by the worst outcome in them, so the drawing
 * stays the same size however long the run.
 */
import { compactJson, html, joinHtml, num, type Html } from "./html.ts";
import type { FaultWindow, Lane, Outcome, RunModel, Span } from "./run-model.ts";
import {
  axes,
  faultClass,
  legend,
  linear,
  plotArea,
  shadeUnavailable,
  shadeWindows,
  windowEdges,
  svg,
  type Frame,
  type Scale,
} from "./svg.ts";

/** Above this many operations the timeline is binned. */
export const DETAIL_LIMIT = 3000;
const WIDTH = 1100;
const BIN_PX = 2;

/** Pack windows into rows so overlapping ones do not cover each other. */
export function packRows<T extends { start: number; end: number | null }>(
  items: readonly T[],
  gap = 0,
): T[][] {
  const rows: { end: number; items: T[] }[] = [];
  for (const it of [...items].sort((a, b) => a.start - b.start)) {
    const end = it.end ?? Infinity;
    const row = rows.find((r) => r.end + gap <= it.start);
    if (row) {
      row.items.push(it);
      row.end = end;
    } else rows.push({ end, items: [it] });
  }
  return rows.map((r) => r.items);
}

export function spanTitle(s: Span): string {
  const lat = s.end === null ? "never completed" : `${((s.end - s.start) * 1000).toFixed(1)} ms`;
  const ret = s.type === "ok" || s.type === "fail" ? ` ${compactJson(s.value, 120)}` : "";
  return (
    `process ${s.process}: ${s.f} ${compactJson(s.invokeValue, 120)} → ${s.type}${ret} · ${lat} · ` +
    `${s.start.toFixed(3)}–${s.end === null ? "…" : s.end.toFixed(3)} s` +
    (s.error ? ` · ${s.error}` : "") +
    (s.node ? ` · ${s.node}` : "") +
    (s.zxid ? ` · zxid ${s.zxid}` : "") +
    (s.session ? ` · session ${s.session}` : "") +
    ` · history index ${s.index}`
  );
}

/** The nemesis rows: one bar per window, labelled when there is room. */
export function nemesisBars(
  windows: readonly FaultWindow[],
  x: Scale,
  y: number,
  rowH: number,
): { body: Html; height: number } {
  const rows = packRows(windows);
  const [, r1] = x.range;
  const body = rows.map((row, i) =>
    row.map((w) => {
      const a = x(w.start);
      const b = w.end === null ? r1 : x(w.end);
      const width = Math.max(2, b - a);
      const yy = y + i * rowH;
      const label =
        w.label.length * 5.6 < width - 4 ? w.label : w.fault.length * 5.6 < width - 4 ? w.fault : "";
      return html`<g
        ><rect
          class="${faultClass(w.fault)} bar"
          x="${num(a)}"
          y="${yy + 1}"
          width="${num(width)}"
          height="${rowH - 2}"
        /><title>
          ${w.label} · ${w.start.toFixed(3)}–${w.end === null ? "not healed" : w.end.toFixed(3)} s</title
        >${label ? html`<text class="barlabel" x="${num(a + 3)}" y="${yy + rowH - 5}">${label}</text>` : ""}</g
      >`;
    }),
  );
  return { body: html`${body}`, height: Math.max(1, rows.length) * rowH };
}

const KINDS: readonly Outcome[] = ["ok", "fail", "info", "open"];
/** Bins over all lanes at most: bounds the binned drawing's size whatever the lane count. */
const MAX_CELLS = 6000;

/**
 * A lane binned to columns of `binPx` pixels: each column stacks the outcomes of the operations in flight
 * in it, in proportion (a rare outcome keeps at least 2 px so it stays visible); equal neighbouring
 * columns merge into one run with one tooltip.
 */
function binnedLane(
  spans: readonly Span[],
  x: Scale,
  x0: number,
  bins: number,
  binPx: number,
  y: number,
  h: number,
  lane: Lane,
): Html {
  const counts = new Uint32Array(bins * 4); // ops in flight per bin: ok, fail, info, open
  const done = new Uint32Array(bins * 4); // completions per bin
  const idx = (px: number) => Math.min(bins - 1, Math.max(0, Math.floor((px - x0) / binPx)));
  const [, r1] = x.range;
  for (const s of spans) {
    const a = idx(x(s.start));
    const b = idx(s.end === null ? r1 : x(s.end));
    const k = KINDS.indexOf(s.type);
    for (let i = a; i <= b; i++) counts[i * 4 + k]!++;
    done[b * 4 + k]!++;
  }
  const heights = (i: number): number[] => {
    const c = [0, 1, 2, 3].map((k) => counts[i * 4 + k]!);
    const total = c[0]! + c[1]! + c[2]! + c[3]!;
    if (total === 0) return [0, 0, 0, 0];
    const hs = c.map((n) => (n === 0 ? 0 : Math.max(2, Math.round((h * n) / total))));
    const rare = hs[1]! + hs[2]! + hs[3]!;
    hs[0] = c[0]! > 0 ? Math.max(0, h - rare) : 0;
    // rounding may overshoot the lane: take it from the tallest
    for (let over = hs.reduce((a, v) => a + v, 0) - h; over > 0; over--) hs[hs.indexOf(Math.max(...hs))]!--;
    return hs;
  };
  const timeAt = (px: number) => x.domain[0] + (px / (r1 - x0)) * (x.domain[1] - x.domain[0]);
  const out: Html[] = [];
  let i = 0;
  while (i < bins) {
    const hs = heights(i);
    const sig = hs.join(",");
    let j = i;
    const c = [0, 0, 0, 0];
    while (j < bins && heights(j).join(",") === sig) {
      for (let k = 0; k < 4; k++) c[k]! += done[j * 4 + k]!;
      j++;
    }
    if (hs.some((v) => v > 0)) {
      const n = c[0]! + c[1]! + c[2]! + c[3]!;
      const title =
        `${lane.label} ${timeAt(i * binPx).toFixed(2)}–${timeAt(j * binPx).toFixed(2)} s: ${n} op${n === 1 ? "" : "s"} completed ` +
        `(ok ${c[0]}, fail ${c[1]}, info ${c[2]})${c[3] ? `, ${c[3]} never completed` : ""}`;
      let yy = y + h;
      const rects = KINDS.map((kind, k) => {
        if (hs[k] === 0) return html``;
        yy -= hs[k]!;
        return html`<rect
          class="${kind}"
          x="${num(x0 + i * binPx)}"
          y="${num(yy)}"
          width="${num(Math.min(j * binPx, r1 - x0) - i * binPx)}"
          height="${hs[k]}"
        />`;
      });
      out.push(html`<g><title>${title}</title>${rects}</g>`);
    }
    i = j;
  }
  return joinHtml(out);
}

function detailedLane(spans: readonly Span[], x: Scale, y: number, h: number): Html {
  const [, r1] = x.range;
  return joinHtml(
    spans.map((s) => {
      const a = x(s.start);
      const b = s.end === null ? r1 : x(s.end);
      return html`<rect
        class="${s.type}"
        x="${num(a)}"
        y="${y}"
        width="${num(Math.max(1.5, b - a))}"
        height="${h}"
        ><title>${spanTitle(s)}</title></rect
      >`;
    }),
  );
}

export interface TimelineOptions {
  /** Time range shown (default: the whole history). */
  readonly from?: number;
  readonly to?: number;
  /** Force per-op bars or bins (default: by DETAIL_LIMIT). */
  readonly detailed?: boolean;
}

/** The whole timeline section's figure: legend plus SVG. */
export function timeline(model: RunModel, opts: TimelineOptions = {}): Html {
  const from = opts.from ?? model.t0;
  const to = opts.to ?? model.t1;
  const spans = model.spans.filter((s) => s.start <= to && (s.end ?? Infinity) >= from);
  const detailed = opts.detailed ?? spans.length <= DETAIL_LIMIT;
  const laneH = Math.max(6, Math.min(26, Math.floor(440 / Math.max(1, model.lanes.length))));
  const rowH = 16;
  const nemRows = Math.max(1, packRows(model.windows).length);
  const top = 8;
  const lanesTop = top + nemRows * rowH + 6;
  const height = lanesTop + model.lanes.length * laneH + 36;
  const f: Frame = { width: WIDTH, height, left: 64, right: 10, top: lanesTop, bottom: 36 };
  const { x0, x1, y1 } = plotArea(f);
  const x = linear([from, to], [x0, x1]);
  const nem = nemesisBars(model.windows, x, top, rowH);
  const byLane: Span[][] = model.lanes.map(() => []);
  for (const s of spans) byLane[s.lane]!.push(s);
  const binPx = Math.max(BIN_PX, Math.ceil(((x1 - x0) * model.lanes.length) / MAX_CELLS));
  const bins = Math.ceil((x1 - x0) / binPx);
  // thin lanes: label every few, so the labels stay readable
  const labelEvery = Math.ceil(12 / laneH);
  const lanes = model.lanes.map((lane, i) => {
    const yy = lanesTop + i * laneH;
    const body = detailed
      ? detailedLane(byLane[i]!, x, yy + 1, laneH - 2)
      : binnedLane(byLane[i]!, x, x0, bins, binPx, yy + 1, laneH - 2, lane);
    const procs =
      lane.processes.length > 8
        ? `${lane.processes.slice(0, 8).join(", ")}, … (${lane.processes.length})`
        : lane.processes.join(", ");
    return html`<g class="lane"
      ><rect
        class="${i % 2 ? "band odd" : "band"}"
        x="${x0}"
        y="${yy}"
        width="${num(x1 - x0)}"
        height="${laneH}"
      />${
        i % labelEvery === 0
          ? html`<text class="lanelabel" x="${x0 - 6}" y="${num(yy + laneH / 2 + 4)}" text-anchor="end"
              >${lane.label}<title>processes ${procs}</title></text
            >`
          : ""
      }${body}</g
    >`;
  });
  const failures = model.nemesisFailures.map(
    (n) =>
      html`<path class="nemfail" d="M${num(x(n.time))} ${top} v${nemRows * rowH}"
        ><title>nemesis action failed at ${n.time.toFixed(3)} s: ${n.error}</title></path
      >`,
  );
  const body = html`${shadeWindows(model.windows, x, lanesTop, y1)}${axes(f, x, null, "seconds since test start")}<text
      class="tick"
      x="${x0 - 6}"
      y="${top + 12}"
      text-anchor="end"
      >nemesis</text
    >${nem.body}${failures}${lanes}${windowEdges(model.windows, x, lanesTop, y1)}${shadeUnavailable(model.unavailable, x, y1)}`;
  const kinds = [...new Set(model.windows.map((w) => w.fault))];
  const note = detailed
    ? `${spans.length} operations; hover a bar for its details.`
    : `${spans.length} operations, binned to ${binPx}-pixel columns, each stacking the outcomes of the operations in flight in it (rare ones at least 2 px high); hover for counts.`;
  return html`${legend([
      { cls: "ok", label: "ok" },
      { cls: "fail", label: "fail" },
      { cls: "info", label: "info (unknown)" },
      { cls: "open", label: "never completed" },
      ...kinds.map((k) => ({ cls: faultClass(k), label: k })),
      ...(model.unavailable.length ? [{ cls: "unavail", label: "no ok completion (unavailable)" }] : []),
    ])}${svg(f, body, "operation timeline", "chart timeline")}
    <p class="note">${note}</p>`;
}
