/**
 * The cache checkers (checkers/cache/): each missed update with when it was made and when (or whether) the
 * client learned of it, drawn on the time axis with the client's ops and the faults; copies that differ
 * from the truth after the heal; reads that went back or came before their watch event.
 */
import { html, type Html } from "../html.ts";
import { faultContext, fmtS, seconds, type Span } from "../run-model.ts";
import {
  arr,
  capNote,
  cutNote,
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
import { around, miniTimeline, type MiniLane } from "./mini-timeline.ts";

const slotOf = (s: Span): number | undefined => {
  const v = rec(s.value);
  return typeof v.slot === "number" ? v.slot : undefined;
};

/** One missed update on a time axis: the write, the client's ops, and the stretch it went without it. */
function missedFigure(ctx: EvidenceContext, m: Record<string, unknown>): Html {
  const made = seconds(num(m.madeAt));
  const stale = seconds(num(m.staleAt));
  const learned = typeof m.learnedAt === "number" ? seconds(m.learnedAt) : null;
  const end = learned ?? ctx.model.t1;
  const { from, to } = around(made, Math.max(end, stale), 0.1, 0.5);
  const writer = ctx.model.spans.find(
    (s) =>
      s.end !== null &&
      ctx.model.byIndex.get(num(m.madeIndex))?.process === s.process &&
      Math.abs((s.end ?? 0) - made) < 1e-6,
  );
  const client = ctx.model.spans.filter(
    (s) => slotOf(s) === m.slot && s.start <= to && (s.end ?? Infinity) >= from,
  );
  const lanes: MiniLane[] = [
    {
      label: `client ${val(m.slot)} ops`,
      items: client.map((s) => spanItem(s, s.f)),
      ticks: [
        { t: stale, cls: "fail", title: `a copy without it was reported at ${fmtS(stale)}` },
        ...(learned === null ? [] : [{ t: learned, cls: "ok", title: `learned at ${fmtS(learned)}` }]),
      ],
    },
    {
      label: `writer (client ${val(m.madeBy)})`,
      items: writer ? [spanItem(writer, `${writer.f} ${val(m.key)}`)] : [],
    },
  ];
  return miniTimeline({
    from,
    to,
    lanes,
    windows: ctx.model.windows,
    bands: [
      {
        start: made,
        end: Math.max(end, made + 1e-3),
        cls: "overlap",
        title: `client ${val(m.slot)} without ${val(m.key)} ${val(m.version)} from ${fmtS(made)} ${learned === null ? "to the end" : `to ${fmtS(learned)}`}`,
        label: learned === null ? "never learned" : "until learned",
      },
    ],
    label: `client ${val(m.slot)} missed ${val(m.key)}`,
  });
}

export function renderMissedUpdates(ctx: EvidenceContext): Rendered {
  const r = ctx.result;
  const ms = arr(r.missed);
  const count = num(r.missedCount) || ms.length;
  const w = ctx.model.windows;
  const first = rec(ms[0]);
  const summary =
    count > 0
      ? `${plural(count, "acknowledged write")} missed by a connected copy past its bound, ${num(r.neverLearnedCount)} never learned; first: client ${val(first.slot)} without ${val(first.key)} written at ${nsText(first.madeAt)} (${faultContext(w, seconds(num(first.madeAt)))})`
      : r.valid === true
        ? `${num(r.copiesChecked)} copies held every one of ${num(r.acknowledgedWrites)} acknowledged writes within the bound`
        : String(r.error ?? r.reason ?? "");
  const rows = ms.map((m0) => {
    const m = rec(m0);
    const lag =
      typeof m.learnedAt === "number"
        ? `${((m.learnedAt - num(m.madeAt)) / 1e9).toFixed(2)} s later`
        : "never";
    return [
      val(m.slot),
      val(m.key),
      `${val(m.f)} ${val(m.version)}`,
      `${nsText(m.madeAt)} by client ${val(m.madeBy)} (index ${val(m.madeIndex)})`,
      `${nsText(m.staleAt)} (${val(m.staleIn)}, index ${val(m.staleIndex)})`,
      typeof m.learnedAt === "number" ? `${nsText(m.learnedAt)}, ${lag}` : "never",
      faultContext(w, seconds(num(m.madeAt))),
    ];
  });
  const body = html`${undecided(r)}${cutNote(r, "copies the final phase would have reported are not judged")}${table(
    ["acknowledged writes", "copies checked", "missed", "never learned"],
    [[num(r.acknowledgedWrites), num(r.copiesChecked), count, num(r.neverLearnedCount)]],
    "counts",
  )}${
    ms.length
      ? html`<h4>Missed updates</h4>
          ${table(["client", "znode", "write", "made", "copy without it", "learned", "nemesis when made"], rows)}${capNote(ms.length, count)}
          <h4>First missed updates on a time axis</h4>
          ${ms.slice(0, 3).map((m) => missedFigure(ctx, rec(m)))}`
      : ""
  }`;
  return { summary, body };
}

export function renderCacheConvergence(ctx: EvidenceContext): Rendered {
  const r = ctx.result;
  const ds = arr(r.diverged);
  const count = num(r.divergedCount) || ds.length;
  const first = rec(ds[0]);
  const summary =
    count > 0
      ? `${plural(count, "znode")} differ from a sync + read after the heal; first: client ${val(first.slot)} holds ${val(first.key)} at ${first.copy === null ? "nothing" : val(first.copy)}, the truth is ${first.truth === null ? "no node" : val(first.truth)}`
      : r.valid === true
        ? `all ${num(r.convergedClients)} clients' copies equal a sync + read after the heal`
        : String(r.error ?? r.reason ?? "");
  const body = html`${undecided(r)}${table(["clients", "converged", "znodes that differ"], [[num(r.clients), num(r.convergedClients), count]], "counts")}${
    ds.length
      ? html`<h4>Copies that differ after the heal</h4>
          ${table(
            ["client", "znode", "copy", "truth", "final op", "truth written"],
            ds.map((d0) => {
              const d = rec(d0);
              return [
                val(d.slot),
                val(d.key),
                d.copy === null ? "absent" : val(d.copy),
                d.truth === null ? "absent" : val(d.truth),
                `${nsText(d.time)} (index ${val(d.index)})`,
                typeof d.madeAt === "number"
                  ? `${nsText(d.madeAt)} (index ${val(d.madeIndex)}); never learned`
                  : "—",
              ];
            }),
          )}${capNote(ds.length, count)}`
      : ""
  }`;
  return { summary, body };
}

export function renderCacheOrder(ctx: EvidenceContext): Rendered {
  const r = ctx.result;
  const vs = arr(r.violations);
  const count = num(r.violationCount) || vs.length;
  const w = ctx.model.windows;
  const first = rec(vs[0]);
  const summary =
    count > 0
      ? `${plural(count, "read")} went back in zxid or came before its watch event; first: client ${val(first.slot)} read ${val(first.key ?? "the child set")} at ${val(first.seen)} after ${val(first.before)} (${faultContext(w, seconds(num(first.time)))})`
      : r.valid === true
        ? `${num(r.checkedReads)} reads by ${plural(num(r.clients), "client")}: never back in zxid, never ahead of a watch event`
        : String(r.error ?? r.reason ?? "");
  const body = html`${undecided(r)}${table(["clients", "reads judged", "violations"], [[num(r.clients), num(r.checkedReads), count]], "counts")}${
    vs.length
      ? html`<h4>Violations</h4>
          ${table(
            ["time", "client", "session", "znode", "kind", "read", "contradicts", "seen at", "nemesis"],
            vs.map((v0) => {
              const v = rec(v0);
              return [
                nsText(v.time),
                val(v.slot),
                val(v.session),
                v.key === null ? "child set" : val(v.key),
                v.kind === "went-back" ? "went back" : "new data before its watch event",
                val(v.seen),
                val(v.before),
                nsText(v.beforeTime),
                faultContext(w, seconds(num(v.time))),
              ];
            }),
          )}${capNote(vs.length, count)}`
      : ""
  }`;
  return { summary, body };
}
