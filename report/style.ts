/** The pages' one stylesheet (inline: the files open offline) and the colours the charts share. */

export const VERDICT_COLORS = {
  valid: "#1a7f37",
  invalid: "#cf222e",
  unknown: "#9a6700",
  incomplete: "#6e7781",
} as const;

const OUTCOME = { ok: "#6aaee8", fail: "#f29ac0", info: "#ffa826", open: "#b8b8b8" };
const FAULT = {
  partition: "#d9534f",
  latency: "#e6b800",
  pause: "#8e44ad",
  kill: "#34495e",
  "pause-client": "#16a085",
  "lost-replies": "#d35400",
  "lagging-follower": "#2e86c1",
  other: "#7f8c8d",
};
const LINES = { q50: "#2b8cbe", q95: "#f39c12", q99: "#e74c3c", qmax: "#555555" };

const fills = Object.entries(OUTCOME)
  .map(
    ([k, c]) =>
      `.${k}{fill:${c}}.sw.${k}{background:${c}}.dots.${k}{stroke:${c};fill:none}.${k}-line{stroke:${c}}.sw.${k}-line{background:${c}}`,
  )
  .join("");
const faults = Object.entries(FAULT)
  .map(
    ([k, c]) =>
      `.nem-${k}{fill:${c};fill-opacity:.13}.nem-${k}.bar{fill-opacity:.4;stroke:${c}}.nem-${k}.edge{stroke:${c}}.sw.nem-${k}{background:${c};opacity:.55}`,
  )
  .join("");
const lines = Object.entries(LINES)
  .map(([k, c]) => `.line.${k}{stroke:${c}}.sw.${k}{background:${c}}`)
  .join("");

export const PAGE_CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:1240px;margin:0 auto;padding:0 20px 40px}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.3em;margin:1.6em 0 .5em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
h3{font-size:1.1em;margin:1.2em 0 .4em}h4{font-size:1em;margin:1em 0 .3em}
a{color:#0969da}code,.mono,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{background:#f6f8fa;padding:10px;overflow:auto;max-height:30em;white-space:pre-wrap;word-break:break-all}
.banner{color:#fff;padding:16px 20px 12px;margin:0 -20px}
.banner h1{font-size:2em;letter-spacing:.02em}
.banner .sub{font-size:1.1em;opacity:.95}
.banner ul{margin:.5em 0 0;padding-left:1.2em}.banner li{margin:.2em 0}
.banner a{color:#fff}
.v-valid{background:${VERDICT_COLORS.valid}}.v-invalid{background:${VERDICT_COLORS.invalid}}.v-unknown{background:${VERDICT_COLORS.unknown}}.v-incomplete{background:${VERDICT_COLORS.incomplete}}
.badge{display:inline-block;color:#fff;border-radius:4px;padding:0 7px;font-weight:600;font-size:.85em;white-space:nowrap}
nav{position:sticky;top:0;background:#fffe;border-bottom:1px solid #d0d7de;padding:6px 0;margin:0 -20px;padding-left:20px;z-index:2}
nav a{margin-right:14px}
table{border-collapse:collapse;margin:.4em 0 .8em;font-size:13px}
th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td{max-width:460px;overflow-wrap:break-word}
table.counts td{text-align:right;font-variant-numeric:tabular-nums}
.checker{border:1px solid #d0d7de;border-radius:6px;padding:4px 14px 8px;margin:12px 0}
.checker.bad{border-color:${VERDICT_COLORS.invalid};border-width:2px}
.finding{font-weight:600}
.why{color:${VERDICT_COLORS.unknown};font-weight:600}
.note{color:#57606a;font-size:12.5px;margin:.2em 0 .8em}
.muted{color:#8c959f}
.notes{background:#fff8c5;border:1px solid #d4a72c;padding:6px 12px;border-radius:6px}
.health{color:#57606a;font-size:12.5px;margin:.6em 0}.health.busy{background:#fff8c5;border:1px solid #d4a72c;padding:6px 12px;border-radius:6px}.health .hint{color:#1f2328;font-weight:600;margin:.3em 0 0}
details.raw summary{cursor:pointer;color:#57606a;font-size:12.5px}
.legend{font-size:12px;color:#57606a;margin:.4em 0}
.legend span{margin-right:14px;white-space:nowrap}
.sw{display:inline-block;width:12px;height:10px;margin-right:4px;vertical-align:-1px;border-radius:2px}
svg.chart{width:100%;height:auto;display:block;font:11px system-ui,sans-serif;background:#fff}
svg .grid{stroke:#eaeef2;stroke-width:1}svg .frame{fill:none;stroke:#afb8c1}
svg .tick{fill:#57606a;font-size:10.5px}svg .label{fill:#57606a;font-size:11px}
svg .lanelabel{fill:#1f2328;font-size:11px}
svg .band{fill:#fff;fill-opacity:0}svg .band.odd{fill:#f6f8fa;fill-opacity:.7}
svg .barlabel,svg .itemlabel{fill:#1f2328;font-size:10.5px;pointer-events:none}
svg .bandlabel{fill:${VERDICT_COLORS.invalid};font-size:11px;font-weight:600}
svg .dots{stroke-width:3;stroke-linecap:round}svg .dots.big{stroke-width:4.5}
svg .line{fill:none;stroke-width:1.5;stroke-linecap:round;stroke-linejoin:round}
svg .ok-line,svg .fail-line,svg .info-line{fill:none;stroke-width:1.5}
svg .unavail{fill:${VERDICT_COLORS.invalid};fill-opacity:.75}.sw.unavail{background:${VERDICT_COLORS.invalid}}
svg .edge{stroke-width:1.5;stroke-dasharray:4 3;fill:none;stroke-opacity:.9;pointer-events:none}
svg .nemfail{stroke:${VERDICT_COLORS.invalid};stroke-width:2;stroke-dasharray:3 2}
svg .unfinished{fill-opacity:.45;stroke:#888;stroke-dasharray:3 2}
svg .overlap{fill:${VERDICT_COLORS.invalid};fill-opacity:.22;stroke:${VERDICT_COLORS.invalid};stroke-width:1.2}
svg .overlap.many{stroke:none;fill-opacity:.3}
svg .stuck{fill:#ff8c00;fill-opacity:.15;stroke:#ff8c00;stroke-width:1.2}
svg .section-A{fill:#9ccc9c}svg .section-B{fill:#e0b07a}
svg .lin-prefix{fill:#8fd18f;stroke:#3b8a3b}svg .lin-failed{fill:#f4a3a3;stroke:${VERDICT_COLORS.invalid};stroke-width:2}svg .lin-other{fill:#d8dde3;stroke:#8c959f}
svg .tick-mark{stroke-width:2.5}
svg .res-enter{stroke:#1a7f37}svg .res-exit,svg .res-write{stroke:#0969da}svg .res-rejected{stroke:${VERDICT_COLORS.invalid}}
${fills}${faults}${lines}
.idx th{cursor:pointer;user-select:none}.idx th[aria-sort=ascending]::after{content:" ▲"}.idx th[aria-sort=descending]::after{content:" ▼"}
.idx td{white-space:nowrap}.idx td.wrap{white-space:normal;min-width:14em}
.idx td.num{text-align:right;font-variant-numeric:tabular-nums}
.versions tr.differs td{background:#fff4d6}.versions td{white-space:nowrap}
input.filter{padding:4px 8px;width:320px;margin:.4em 0}
`;
