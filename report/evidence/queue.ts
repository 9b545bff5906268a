/**
 * total-queue (checkers/total-queue.ts): the lost, duplicated and unexpected items, each with the
 * operations that enqueued and dequeued it (times, processes, outcomes) and the nemesis at that moment.
 */
import { canonical } from "../../checkers/values.ts";
import { html, type Html } from "../html.ts";
import { faultContext, fmtS, type RunModel, type Span } from "../run-model.ts";
import {
  arr,
  capNote,
  cutNote,
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

interface ItemOps {
  enqueues: Span[];
  dequeues: Span[];
}

/** Enqueue and successful dequeue / drain operations per item (by canonical value). */
export function queueIndex(model: RunModel): Map<string, ItemOps> {
  const idx = new Map<string, ItemOps>();
  const get = (k: string) => {
    let e = idx.get(k);
    if (!e) idx.set(k, (e = { enqueues: [], dequeues: [] }));
    return e;
  };
  for (const s of model.spans) {
    if (s.f === "enqueue") get(canonical(s.invokeValue)).enqueues.push(s);
    else if (s.type === "ok" && s.f === "dequeue" && s.value !== null)
      get(canonical(s.value)).dequeues.push(s);
    else if (s.type === "ok" && s.f === "drain") {
      const vs = Array.isArray(s.value) ? s.value : [s.value];
      for (const v of vs) if (v !== null && v !== undefined) get(canonical(v)).dequeues.push(s);
    }
  }
  return idx;
}

const opText = (s: Span): string =>
  `${s.f} by process ${s.process} ${fmtS(s.start)}–${s.end === null ? "…" : fmtS(s.end)} → ${s.type}${s.error ? ` (${s.error})` : ""}`;

function opsCell(spans: readonly Span[]): Html {
  if (spans.length === 0) return html`<span class="muted">none</span>`;
  return html`${spans.slice(0, 6).map((s, i) => html`${i ? html`<br />` : ""}${opText(s)}`)}${spans.length > 6 ? html`<br />… ${spans.length - 6} more` : ""}`;
}

function itemFigure(ctx: EvidenceContext, label: string, ops: ItemOps): Html {
  const all = [...ops.enqueues, ...ops.dequeues];
  if (all.length === 0) return html``;
  const start = Math.min(...all.map((s) => s.start));
  const end = Math.max(...all.map((s) => s.end ?? s.start));
  const { from, to } = around(start, end, 0.1, 0.2);
  const lanes: MiniLane[] = all.map((s) => ({
    label: `process ${s.process} ${s.f}`,
    items: [spanItem(s)],
  }));
  return miniTimeline({ from, to, lanes, windows: ctx.model.windows, label });
}

export function renderTotalQueue(ctx: EvidenceContext): Rendered {
  const r = ctx.result;
  const idx = queueIndex(ctx.model);
  const w = ctx.model.windows;
  const lost = arr<unknown>(r.lost);
  const dup = arr(r.duplicated);
  const unexpected = arr<unknown>(r.unexpected);
  const recovered = arr<unknown>(r.recovered);
  const lostCount = num(r.lostCount) || lost.length;
  const dupCount = num(r.duplicatedCount) || dup.length;
  const unexpectedCount = num(r.unexpectedCount) || unexpected.length;
  const undrained = arr<unknown>(r.undrained);
  const undrainedCount = num(r.undrainedCount) || undrained.length;
  const cut = typeof r.cut === "string";
  const opsOf = (v: unknown): ItemOps => idx.get(canonical(v)) ?? { enqueues: [], dequeues: [] };
  const parts: string[] = [];
  if (lostCount) {
    const e = opsOf(lost[0]).enqueues[0];
    parts.push(
      `${plural(lostCount, "acknowledged item")} lost (first ${val(lost[0])}${e ? `, enqueued at ${fmtS(e.start)} ${faultContext(w, e.start)}` : ""})`,
    );
  }
  if (dupCount) {
    const first = rec(dup[0]);
    const d = opsOf(first.value).dequeues[1];
    parts.push(
      `${plural(dupCount, "item")} dequeued more than once (first ${val(first.value)} ×${val(first.count)}${d ? `, again at ${fmtS(d.start)} ${faultContext(w, d.start)}` : ""})`,
    );
  }
  if (unexpectedCount)
    parts.push(`${plural(unexpectedCount, "unexpected item")} dequeued (first ${val(unexpected[0])})`);
  if (parts.length && undrainedCount)
    parts.push(
      `${plural(undrainedCount, "acknowledged item")} not dequeued before the history was cut: not judged`,
    );
  const summary =
    parts.join("; ") ||
    (r.valid === true
      ? `all ${num(r.acknowledgedCount)} acknowledged items dequeued exactly once (${num(r.recoveredCount)} indeterminate enqueues recovered)`
      : String(r.error ?? r.reason ?? ""));
  const counts = table(
    [
      "attempted",
      "acknowledged",
      "dequeued",
      "lost",
      ...(cut ? ["not dequeued by the cut"] : []),
      "duplicated",
      "unexpected",
      "recovered",
    ],
    [
      [
        num(r.attemptCount),
        num(r.acknowledgedCount),
        num(r.dequeuedCount),
        lostCount,
        ...(cut ? [undrainedCount] : []),
        dupCount,
        unexpectedCount,
        num(r.recoveredCount),
      ],
    ],
    "counts",
  );
  const section = (
    title: string,
    items: readonly unknown[],
    total: number,
    valueOf: (x: unknown) => unknown,
    extra?: (x: unknown) => string,
  ) =>
    items.length
      ? html`<h4>${title}</h4>
          ${table(
            ["item", ...(extra ? ["times"] : []), "enqueued by", "dequeued by", "nemesis"],
            items.map((x) => {
              const v = valueOf(x);
              const o = opsOf(v);
              const at = o.dequeues[1]?.start ?? o.enqueues[0]?.start;
              return [
                val(v),
                ...(extra ? [extra(x)] : []),
                opsCell(o.enqueues),
                opsCell(o.dequeues),
                at === undefined ? "" : faultContext(w, at),
              ];
            }),
          )}${capNote(items.length, total)}`
      : html``;
  const figures: Html[] = [];
  if (dup.length)
    figures.push(
      html`<h4>First duplicated item on a time axis</h4>
        ${itemFigure(ctx, "operations on a duplicated item", opsOf(rec(dup[0]).value))}`,
    );
  if (lost.length)
    figures.push(
      html`<h4>First lost item on a time axis</h4>
        ${itemFigure(ctx, "operations on a lost item", opsOf(lost[0]))}`,
    );
  return {
    summary,
    body: html`${undecided(r)}${cutNote(r, "acknowledged items not dequeued by then are not judged lost")}${counts}${section("Lost (acknowledged, never dequeued)", lost, lostCount, (x) => x)}${section(
      "Duplicated (dequeued more than once)",
      dup,
      dupCount,
      (x) => rec(x).value,
      (x) => `×${val(rec(x).count)}`,
    )}${section("Unexpected (never enqueued, or enqueue failed)", unexpected, unexpectedCount, (x) => x)}${section(
      "Not dequeued before the history was cut (not judged: the final drain would have read them)",
      undrained,
      undrainedCount,
      (x) => x,
    )}${figures}${
      recovered.length
        ? html`<details>
            <summary>
              ${plural(num(r.recoveredCount) || recovered.length, "recovered item")} (indeterminate enqueue,
              dequeued once: fine)
            </summary>
            <p class="mono">${recovered.map((v) => val(v)).join(", ")}</p>
          </details>`
        : ""
    }`,
  };
}
