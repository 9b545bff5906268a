/**
 * Small SVG plotting pieces shared by the timeline, the perf plots and the evidence drawings: scales, nice
 * ticks, axes, nemesis shading. Charts use a fixed viewBox and scale to the page width.
 */
import { html, joinHtml, num, type Html } from "./html.ts";
import type { FaultWindow, Interval } from "./run-model.ts";

export interface Scale {
  (v: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  readonly log: boolean;
}

export function linear(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain[1] === domain[0] ? [domain[0], domain[0] + 1] : domain;
  const k = (range[1] - range[0]) / (d1 - d0);
  const f = ((v: number) => range[0] + (v - d0) * k) as Scale;
  return Object.assign(f, { domain: [d0, d1] as const, range, log: false });
}

export function logScale(domain: [number, number], range: [number, number]): Scale {
  const lo = Math.log10(Math.max(domain[0], 1e-9));
  const hi = Math.max(lo + 1e-6, Math.log10(Math.max(domain[1], 1e-9)));
  const k = (range[1] - range[0]) / (hi - lo);
  const f = ((v: number) => range[0] + (Math.log10(Math.max(v, 1e-9)) - lo) * k) as Scale;
  return Object.assign(f, { domain: [10 ** lo, 10 ** hi] as const, range, log: true });
}

/** About `count` round tick values covering [a, b]. */
export function niceTicks(a: number, b: number, count = 8): number[] {
  if (!(b > a)) return [a];
  const raw = (b - a) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(a / step) * step; v <= b + step * 1e-9; v += step)
    out.push(Math.round(v / step) * step);
  return out;
}

/** Powers of ten within a log domain (with 2 and 5 between when there are few). */
export function logTicks(a: number, b: number): number[] {
  const out: number[] = [];
  const lo = Math.floor(Math.log10(a));
  const hi = Math.ceil(Math.log10(b));
  const mult = hi - lo <= 3 ? [1, 2, 5] : [1];
  for (let e = lo; e <= hi; e++)
    for (const m of mult) {
      const v = m * 10 ** e;
      if (v >= a * 0.999 && v <= b * 1.001) out.push(v);
    }
  return out;
}

export const tickLabel = (v: number): string =>
  Math.abs(v) >= 1000 ? `${Math.round(v / 100) / 10}k` : String(Math.round(v * 1000) / 1000);

export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** Plot area edges of a frame. */
export const plotArea = (f: Frame) => ({
  x0: f.left,
  x1: f.width - f.right,
  y0: f.top,
  y1: f.height - f.bottom,
});

/** Grid, axes and labels for x (seconds) and y. */
export function axes(f: Frame, x: Scale, y: Scale | null, xLabel: string, yLabel = ""): Html {
  const { x0, x1, y0, y1 } = plotArea(f);
  const xt = niceTicks(x.domain[0], x.domain[1], Math.max(4, Math.floor((x1 - x0) / 90)));
  const yt =
    y === null ? [] : y.log ? logTicks(y.domain[0], y.domain[1]) : niceTicks(y.domain[0], y.domain[1], 5);
  const xs = xt.map(
    (v) =>
      html`<line class="grid" x1="${num(x(v))}" x2="${num(x(v))}" y1="${y0}" y2="${y1}" /><text
          class="tick"
          x="${num(x(v))}"
          y="${y1 + 14}"
          text-anchor="middle"
          >${tickLabel(v)}</text
        >`,
  );
  const ys = yt.map(
    (v) =>
      y !== null &&
      html`<line class="grid" x1="${x0}" x2="${x1}" y1="${num(y(v))}" y2="${num(y(v))}" /><text
          class="tick"
          x="${x0 - 5}"
          y="${num(y(v) + 4)}"
          text-anchor="end"
          >${tickLabel(v)}</text
        >`,
  );
  return html`<g class="axes"
    >${xs}${ys}<rect
      class="frame"
      x="${x0}"
      y="${y0}"
      width="${num(x1 - x0)}"
      height="${num(y1 - y0)}"
    /><text class="label" x="${num((x0 + x1) / 2)}" y="${f.height - 4}" text-anchor="middle">${xLabel}</text
    >${yLabel ? html`<text class="label" transform="translate(12 ${num((y0 + y1) / 2)}) rotate(-90)" text-anchor="middle">${yLabel}</text>` : ""}</g
  >`;
}

/** CSS class of a fault kind (shading colour). */
export function faultClass(fault: string): string {
  const known = ["partition", "latency", "pause", "kill", "pause-client", "lost-replies", "lagging-follower"];
  return `nem nem-${known.includes(fault) ? fault : "other"}`;
}

/** Nemesis windows shaded over [y0, y1], each with a tooltip; open windows run to the right edge. */
export function shadeWindows(windows: readonly FaultWindow[], x: Scale, y0: number, y1: number): Html {
  const [r0, r1] = x.range;
  return joinHtml(
    windows.map((w) => {
      const a = Math.max(r0, x(w.start));
      const b = Math.min(r1, w.end === null ? r1 : x(w.end));
      if (b < r0 || a > r1) return html``;
      const span = `${w.start.toFixed(3)}–${w.end === null ? "end" : w.end.toFixed(3)} s`;
      return html`<rect
        class="${faultClass(w.fault)}"
        x="${num(a)}"
        y="${num(y0)}"
        width="${num(Math.max(1, b - a))}"
        height="${num(y1 - y0)}"
        ><title>${w.label} (${span})</title></rect
      >`;
    }),
  );
}

/** Dashed edges of the nemesis windows, drawn over opaque content (the binned timeline). */
export function windowEdges(windows: readonly FaultWindow[], x: Scale, y0: number, y1: number): Html {
  const [r0, r1] = x.range;
  const edge = (t: number, fault: string) => {
    const px = x(t);
    return px < r0 || px > r1
      ? html``
      : html`<path class="edge ${faultClass(fault)}" d="M${num(px)} ${num(y0)}V${num(y1)}" />`;
  };
  return joinHtml(
    windows.flatMap((w) => [edge(w.start, w.fault), ...(w.end === null ? [] : [edge(w.end, w.fault)])]),
  );
}

/** Unavailability windows: a hatched band along the bottom of the plot area. */
export function shadeUnavailable(intervals: readonly Interval[], x: Scale, y: number, h = 6): Html {
  return joinHtml(
    intervals.map(
      (u) =>
        html`<rect
          class="unavail"
          x="${num(x(u.start))}"
          y="${num(y - h)}"
          width="${num(Math.max(1, x(u.end) - x(u.start)))}"
          height="${h}"
          ><title>
            no operation completed ok for ${(u.end - u.start).toFixed(2)} s
            (${u.start.toFixed(3)}–${u.end.toFixed(3)} s)
          </title></rect
        >`,
    ),
  );
}

/** An <svg> element scaled to the page width. */
export function svg(f: Frame, body: Html | Html[], label: string, cls = "chart"): Html {
  return html`<svg
    class="${cls}"
    viewBox="0 0 ${f.width} ${f.height}"
    role="img"
    aria-label="${label}"
    preserveAspectRatio="xMinYMin meet"
  >
    ${body}
  </svg>`;
}

/** A legend row of coloured swatches. */
export function legend(items: readonly { cls: string; label: string }[]): Html {
  return html`<div class="legend">
    ${items.map((i) => html`<span><i class="sw ${i.cls}"></i>${i.label}</span>`)}
  </div>`;
}
