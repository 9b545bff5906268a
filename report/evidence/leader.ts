/**
 * leader-safety (checkers/leader-safety.ts): epochs whose writes came from more than one leader, and
 * writes of a deposed leader accepted after its successor's first write — with both leaders' accepted
 * writes on a time axis.
 */
import type { ResourceEvent } from "../../kernel/resource.ts";
import { html, type Html } from "../html.ts";
import { faultContext, fmtMs, seconds } from "../run-model.ts";
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
import { around, miniTimeline, type MiniLane } from "./mini-timeline.ts";

function writesLane(
  tag: string,
  holder: unknown,
  events: readonly ResourceEvent[],
  from: number,
  to: number,
): MiniLane {
  const mine = events.filter(
    (e) => String(e.holder) === String(holder) && seconds(e.time) >= from && seconds(e.time) <= to,
  );
  return {
    label: `${tag}: ${String(holder)}`,
    items: [],
    ticks: mine.map((e) => ({
      t: seconds(e.time),
      cls: e.accepted ? "res-write" : "res-rejected",
      title: `${nsText(e.time)}: ${String(e.holder)} ${e.op} ${e.accepted ? "accepted" : "rejected"}${e.epoch !== undefined ? ` epoch ${String(e.epoch)}` : ""}${e.id !== undefined ? ` id ${String(e.id)}` : ""}`,
    })),
  };
}

function staleFigure(ctx: EvidenceContext, s: Record<string, unknown>): Html {
  const t = seconds(num(s.time));
  const first = seconds(num(s.successorFirstWrite));
  const { from, to } = around(Math.min(t, first), Math.max(t, first), 0.3, 0.5);
  return miniTimeline({
    from,
    to,
    lanes: [
      writesLane("deposed", s.holder, ctx.resource, from, to),
      writesLane("successor", s.successor, ctx.resource, from, to),
    ],
    bands: [
      {
        start: first,
        end: Math.max(t, first + 1e-3),
        cls: "overlap",
        title: `the deposed leader wrote ${fmtMs((t - first) * 1000)} after its successor's first write`,
        label: "after successor took over",
      },
    ],
    windows: ctx.model.windows,
    label: "writes of a deposed leader and its successor",
  });
}

export function renderLeaderSafety(ctx: EvidenceContext): Rendered {
  const r = ctx.result;
  const stale = arr(r.staleWrites);
  const shared = arr(r.sharedEpochs);
  const staleCount = num(r.staleWriteCount) || stale.length;
  const w = ctx.model.windows;
  const parts: string[] = [];
  if (shared.length) parts.push(`${plural(shared.length, "epoch")} with writes from more than one leader`);
  if (staleCount) {
    const s = rec(stale[0]);
    const t = seconds(num(s.time));
    parts.push(
      `${plural(staleCount, "write")} accepted from a deposed leader; first: ${val(s.holder)} at ${nsText(s.time)}, after ${val(s.successor)} first wrote at ${nsText(s.successorFirstWrite)}, ${faultContext(w, t)}`,
    );
  }
  const summary =
    parts.join("; ") ||
    (r.valid === true
      ? `${plural(num(r.leaders), "leader")}, ${num(r.accepted)} accepted writes; no deposed leader wrote after its successor`
      : String(r.error ?? r.reason ?? ""));
  const body = html`${undecided(r)}${table(["leaders", "accepted writes", "rejected writes", "shared epochs", "stale writes"], [[num(r.leaders), num(r.accepted), num(r.rejected), shared.length, staleCount]], "counts")}${
    shared.length
      ? html`<h4>Epochs with more than one leader</h4>
          ${table(
            ["epoch", "leaders (accepted writes)"],
            shared.map((e0) => {
              const e = rec(e0);
              return [
                val(e.epoch),
                Object.entries(rec(e.holders))
                  .map(([h, n]) => `${h}: ${val(n)}`)
                  .join(", "),
              ];
            }),
          )}`
      : ""
  }${
    stale.length
      ? html`<h4>Writes accepted from a deposed leader</h4>
          ${table(
            ["time", "deposed leader", "epoch", "successor", "successor's first write", "nemesis"],
            stale.map((s0) => {
              const s = rec(s0);
              return [
                nsText(s.time),
                val(s.holder),
                s.epoch === undefined ? "" : val(s.epoch),
                val(s.successor),
                nsText(s.successorFirstWrite),
                faultContext(w, seconds(num(s.time))),
              ];
            }),
          )}${capNote(stale.length, staleCount)}
          <h4>First stale write on a time axis</h4>
          ${staleFigure(ctx, rec(stale[0]))}
          <p class="note">Ticks are accepted (blue) and rejected (red) writes at the resource.</p>`
      : ""
  }`;
  return { summary, body };
}
