/**
 * stale-reads (checkers/stale-reads.ts): reads that returned a value overwritten before they began, tallied
 * by the server that served them, and the first few drawn on a time axis — the read, the acknowledged
 * overwrite it missed and the last write of the value it returned, each with its server.
 */
import { html } from "../html.ts";
import { faultContext, fmtS, seconds } from "../run-model.ts";
import {
  arr,
  capNote,
  nsText,
  num,
  plural,
  rec,
  table,
  undecided,
  val,
  type EvidenceContext,
  type Rendered,
} from "./common.ts";
import { around, miniTimeline, type MiniBand, type MiniItem, type MiniLane } from "./mini-timeline.ts";

const DRAWN = 3;

interface Ref {
  index: number;
  process: number;
  node?: string;
  start: number;
  end: number;
}

const at = (r: { node?: unknown }): string => (typeof r.node === "string" ? ` @${r.node}` : "");

export function renderStaleReads(ctx: EvidenceContext): Rendered {
  const r = ctx.result;
  const stale = arr(r.stale);
  const count = num(r.staleCount) || stale.length;
  const byNode = Object.entries(rec(r.staleByNode)).sort((a, b) => num(b[1]) - num(a[1]));
  const tally = byNode.map(([n, c]) => `${n} ${num(c)}`).join(", ");
  const first = rec(stale[0]);
  const t = typeof first.start === "number" ? seconds(first.start) : undefined;
  const summary =
    count > 0
      ? `${plural(count, "stale read")} (by server: ${tally}); first: process ${val(first.process)} read ${val(first.value)}${at(first)} at ${t !== undefined ? fmtS(t) : "?"}, after write ${val(rec(first.overwrite).value)}${at(rec(first.overwrite))} was acknowledged${t !== undefined ? `, ${faultContext(ctx.model.windows, t)}` : ""}`
      : r.valid === true
        ? `${num(r.readsChecked)} reads: none returned a value overwritten before it began`
        : String(r.error ?? r.reason ?? "");
  const counts = table(
    ["reads judged", "stale", "by server"],
    [[num(r.readsChecked), count, tally || "—"]],
    "counts",
  );
  if (stale.length === 0) return { summary, body: html`${undecided(r)}${counts}` };
  return {
    summary,
    body: html`${undecided(r)}${counts}${figure(ctx, stale.slice(0, DRAWN).map(rec))}
      <p class="note">
        Red: a read that returned a value overwritten before it began; green: the acknowledged write it
        missed; grey: the last write of the value it returned. The shaded band is how long the overwrite had
        been acknowledged when the read began. Labels give the server that served each operation.
      </p>
      ${table(
        ["time", "process", "read", "server", "missed write", "its server", "acknowledged at", "nemesis"],
        stale.map((s0) => {
          const s = rec(s0);
          const o = rec(s.overwrite);
          const tt = seconds(num(s.start));
          return [
            nsText(s.start),
            val(s.process),
            val(s.value),
            typeof s.node === "string" ? s.node : "",
            val(o.value),
            typeof o.node === "string" ? o.node : "",
            nsText(o.end),
            faultContext(ctx.model.windows, tt),
          ];
        }),
      )}${capNote(stale.length, count)}`,
  };
}

function figure(ctx: EvidenceContext, stale: readonly Record<string, unknown>[]) {
  const lanes = new Map<number, MiniItem[]>();
  const bands: MiniBand[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  const put = (ref: Ref, cls: string, what: string) => {
    const start = seconds(ref.start);
    const end = Number.isFinite(ref.end) ? seconds(ref.end) : null;
    lo = Math.min(lo, start);
    hi = Math.max(hi, end ?? start);
    const items = lanes.get(ref.process) ?? [];
    items.push({
      start,
      end,
      cls,
      title: `process ${ref.process}: ${what}${at(ref)} · ${nsText(ref.start)}–${end === null ? "unknown" : nsText(ref.end)} · history index ${ref.index}`,
      label: `${what}${at(ref)}`,
    });
    lanes.set(ref.process, items);
  };
  for (const s of stale) {
    const read = s as unknown as Ref;
    const o = rec(s.overwrite) as unknown as Ref & { value: unknown };
    put(read, "lin-failed", `read → ${val(s.value)}`);
    put(o, "lin-prefix", `write ${val(o.value)}`);
    if (s.source) put(s.source as Ref, "lin-other", `write ${val(s.value)}`);
    bands.push({
      start: seconds(o.end),
      end: seconds(read.start),
      cls: "stuck",
      title: `write ${val(o.value)} acknowledged ${((read.start - o.end) / 1e6).toFixed(1)} ms before the read began`,
    });
  }
  if (!Number.isFinite(lo)) return html``;
  const { from, to } = around(lo, hi, 0.1, 0.01);
  const laneList: MiniLane[] = [...lanes.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([p, items]) => ({ label: `process ${p}`, items }));
  return miniTimeline({
    from,
    to,
    lanes: laneList,
    bands,
    windows: ctx.model.windows,
    label: "stale reads and the writes they missed",
  });
}
