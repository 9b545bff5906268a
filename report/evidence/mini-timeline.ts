/**
 * A small time-axis drawing for one piece of evidence: a few labelled lanes of bars and ticks over a short
 * time range, highlighted bands (an overlap, a stale write) and the nemesis windows of that range.
 */
import { html, num, type Html } from "../html.ts";
import type { FaultWindow } from "../run-model.ts";
import { axes, linear, plotArea, shadeWindows, svg, type Frame } from "../svg.ts";
import { nemesisBars, packRows } from "../timeline.ts";

export interface MiniItem {
  readonly start: number;
  /** null: never completed (drawn to the right edge, faded). */
  readonly end: number | null;
  readonly cls: string;
  readonly title: string;
  readonly label?: string;
  /** Shown when `label` does not fit. */
  readonly shortLabel?: string;
}

export interface MiniTick {
  readonly t: number;
  readonly cls: string;
  readonly title: string;
}

export interface MiniLane {
  readonly label: string;
  readonly title?: string;
  readonly items: readonly MiniItem[];
  readonly ticks?: readonly MiniTick[];
}

export interface MiniBand {
  readonly start: number;
  readonly end: number;
  readonly cls: string;
  readonly title: string;
  readonly label?: string;
}

export interface MiniTimelineSpec {
  readonly from: number;
  readonly to: number;
  readonly lanes: readonly MiniLane[];
  readonly bands?: readonly MiniBand[];
  readonly windows: readonly FaultWindow[];
  readonly label: string;
}

const WIDTH = 1100;
const LANE_H = 22;

/** A time range around [a, b] with some margin on both sides. */
export function around(a: number, b: number, frac = 0.15, min = 0.05): { from: number; to: number } {
  const pad = Math.max(min, (b - a) * frac);
  return { from: a - pad, to: b + pad };
}

export function miniTimeline(spec: MiniTimelineSpec): Html {
  const windows = spec.windows.filter((w) => w.start <= spec.to && (w.end ?? Infinity) >= spec.from);
  const rowH = 16;
  const nemRows = Math.max(1, packRows(windows).length);
  const top = 6;
  const bandLabelH = spec.bands?.some((b) => b.label) ? 14 : 0;
  const lanesTop = top + nemRows * rowH + 4 + bandLabelH;
  const height = lanesTop + spec.lanes.length * LANE_H + 34;
  const f: Frame = { width: WIDTH, height, left: 190, right: 10, top: lanesTop, bottom: 34 };
  const { x0, x1, y0, y1 } = plotArea(f);
  const x = linear([spec.from, spec.to], [x0, x1]);
  const clampX = (t: number) => Math.min(x1, Math.max(x0, x(t)));
  const nem = nemesisBars(windows, x, top, rowH);
  const bands = (spec.bands ?? []).map(
    (b) =>
      html`<rect
          class="${b.cls}"
          x="${num(clampX(b.start))}"
          y="${y0}"
          width="${num(Math.max(2, clampX(b.end) - clampX(b.start)))}"
          height="${num(y1 - y0)}"
          ><title>${b.title}</title></rect
        >${b.label ? html`<text class="bandlabel" x="${num(clampX(b.start))}" y="${y0 - 4}">${b.label}</text>` : ""}`,
  );
  const lanes = spec.lanes.map((lane, i) => {
    const yy = lanesTop + i * LANE_H;
    const items = lane.items.map((it) => {
      const a = clampX(it.start);
      const b = it.end === null ? x1 : clampX(it.end);
      const w = Math.max(2, b - a);
      const fits = (t: string | undefined) => t !== undefined && t.length * 5.6 < w - 4;
      const text = fits(it.label) ? it.label : fits(it.shortLabel) ? it.shortLabel : "";
      return html`<g
        ><rect
          class="${it.cls}${it.end === null ? " unfinished" : ""}"
          x="${num(a)}"
          y="${yy + 3}"
          width="${num(w)}"
          height="${LANE_H - 6}"
        /><title>${it.title}</title
        >${text ? html`<text class="itemlabel" x="${num(a + 3)}" y="${yy + LANE_H - 8}">${text}</text>` : ""}</g
      >`;
    });
    const ticks = (lane.ticks ?? []).map(
      (t) =>
        html`<path class="tick-mark ${t.cls}" d="M${num(clampX(t.t))} ${yy + 1}v${LANE_H - 2}"
          ><title>${t.title}</title></path
        >`,
    );
    const name = lane.label.length > 30 ? `${lane.label.slice(0, 29)}…` : lane.label;
    return html`<g class="lane"
      ><rect
        class="${i % 2 ? "band odd" : "band"}"
        x="${x0}"
        y="${yy}"
        width="${num(x1 - x0)}"
        height="${LANE_H}"
      /><text class="lanelabel" x="${x0 - 6}" y="${yy + LANE_H / 2 + 4}" text-anchor="end"
        >${name}<title>${lane.title ?? lane.label}</title></text
      >${items}${ticks}</g
    >`;
  });
  const body = html`${shadeWindows(windows, x, lanesTop, y1)}${axes(f, x, null, "seconds since test start")}<text
      class="tick"
      x="${x0 - 6}"
      y="${top + 12}"
      text-anchor="end"
      >nemesis</text
    >${nem.body}${lanes}${bands}`;
  return svg(f, body, spec.label, "chart mini");
}
