/**
 * session-order (checkers/session-order.ts): zxids a session saw go back, drawn on a time axis — the
 * session's operations from the one that set the high-water mark to the one below it, each labelled with
 * its zxid and the server that served it — and listed in a table.
 */
import { html } from "../html.ts";
import { faultContext, seconds, type Span } from "../run-model.ts";
import {
  arr,
  capNote,
  nsText,
  num,
  plural,
  rec,
  spanItem,
  table,
  undecided,
  val,
  type EvidenceContext,
  type Rendered,
} from "./common.ts";
import { around, miniTimeline, type MiniBand, type MiniLane } from "./mini-timeline.ts";

/** Violations drawn in the figure (one lane each); the table lists them all. */
const DRAWN = 4;

const spanLabel = (s: Span): string => `${s.f}${s.zxid ? ` ${s.zxid}` : ""}${s.node ? ` @${s.node}` : ""}`;

export function renderSessionOrder(ctx: EvidenceContext): Rendered {
  const r = ctx.result;
  const vs = arr(r.violations);
  const count = num(r.violationCount) || vs.length;
  const w = ctx.model.windows;
  const timeOf = (index: unknown): number | undefined => {
    const op = typeof index === "number" ? ctx.model.byIndex.get(index) : undefined;
    return op ? seconds(op.time) : undefined;
  };
  const first = rec(vs[0]);
  const t = timeOf(first.index);
  const summary =
    count > 0
      ? `${plural(count, "read")} saw an older zxid than its session had seen; first: session ${val(first.session)} saw ${val(first.zxid)}${first.node ? ` on ${val(first.node)}` : ""} after ${val(first.previousZxid)}${first.previousNode ? ` on ${val(first.previousNode)}` : ""}${t !== undefined ? `, ${faultContext(w, t)}` : ""}`
      : r.valid === true
        ? `${num(r.checkedOps)} operations in ${plural(num(r.sessions), "session")}: zxids never went back`
        : String(r.error ?? r.reason ?? "");
  const counts = table(
    ["sessions", "operations judged", "violations"],
    [[num(r.sessions), num(r.checkedOps), count]],
    "counts",
  );
  if (vs.length === 0) return { summary, body: html`${undecided(r)}${counts}` };
  return {
    summary,
    body: html`${undecided(r)}${counts}${figure(ctx, vs.slice(0, DRAWN).map(rec), timeOf)}
      <p class="note">
        Each lane is one session around a violation: red, the operation that saw an older zxid; green, the one
        that had seen the newer; labels give each operation's zxid and the server that served it.
      </p>
      <h4>zxid went back</h4>
      ${table(
        [
          "time",
          "session",
          "path",
          "history index",
          "zxid",
          "server",
          "after zxid",
          "seen on",
          "at index",
          "nemesis",
        ],
        vs.map((v0) => {
          const v = rec(v0);
          const tt = timeOf(v.index);
          return [
            tt === undefined ? "" : nsText(tt * 1e9),
            val(v.session),
            v.path === undefined ? "" : val(v.path),
            val(v.index),
            val(v.zxid),
            v.node === undefined ? "" : val(v.node),
            val(v.previousZxid),
            v.previousNode === undefined ? "" : val(v.previousNode),
            val(v.previousIndex),
            tt === undefined ? "" : faultContext(w, tt),
          ];
        }),
      )}${capNote(vs.length, count)}`,
  };
}

/** One lane per violation: its session's operations from the high-water mark to the one below it. */
function figure(
  ctx: EvidenceContext,
  vs: readonly Record<string, unknown>[],
  timeOf: (index: unknown) => number | undefined,
) {
  const lanes: MiniLane[] = [];
  const bands: MiniBand[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of vs) {
    const at = timeOf(v.index);
    const before = timeOf(v.previousIndex);
    if (at === undefined || before === undefined) continue;
    lo = Math.min(lo, before);
    hi = Math.max(hi, at);
    bands.push({
      start: before,
      end: at,
      cls: "stuck",
      title: `session ${val(v.session)}: zxid ${val(v.zxid)} after ${val(v.previousZxid)}`,
    });
  }
  if (!Number.isFinite(lo)) return html``;
  const { from, to } = around(lo, hi, 0.2, 0.05);
  for (const v of vs) {
    const session = String(v.session);
    // A span ends at its completion, and a session runs one op at a time: its end time names it.
    const atEnd = timeOf(v.index);
    const markEnd = timeOf(v.previousIndex);
    const spans = ctx.model.spans.filter(
      (s) => s.session === session && s.start <= to && (s.end ?? Infinity) >= from,
    );
    lanes.push({
      label: `session ${session}`,
      items: spans.map((s) => {
        const item = spanItem(s, spanLabel(s));
        if (s.end === atEnd) return { ...item, cls: "lin-failed" };
        if (s.end === markEnd) return { ...item, cls: "lin-prefix" };
        return item;
      }),
    });
  }
  return miniTimeline({
    from,
    to,
    lanes,
    bands,
    windows: ctx.model.windows,
    label: "sessions whose zxid went back",
  });
}
