/**
 * duplicate-writes (checkers/duplicate-writes.ts): event ids applied twice or lost, with the sink writes that
 * applied them.
 */
import type { ResourceEvent } from "../../kernel/resource.ts";
import { html, type Html } from "../html.ts";
import { faultContext, seconds } from "../run-model.ts";
import {
  arr,
  capNote,
  cutNote,
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

function appliedBy(resource: readonly ResourceEvent[]): Map<string, ResourceEvent[]> {
  const m = new Map<string, ResourceEvent[]>();
  for (const e of resource) {
    if (!e.accepted || e.applied === false) continue;
    const id = e.id ?? e.key;
    if (id === undefined) continue;
    const k = String(id);
    let xs = m.get(k);
    if (!xs) m.set(k, (xs = []));
    xs.push(e);
  }
  return m;
}

const writesCell = (es: readonly ResourceEvent[] | undefined): Html =>
  es && es.length
    ? html`${es.slice(0, 6).map((e, i) => html`${i ? html`<br />` : ""}${nsText(e.time)} by ${String(e.holder)}`)}${es.length > 6 ? html`<br />… ${es.length - 6} more` : ""}`
    : html`<span class="muted">none</span>`;

export function renderDuplicateWrites(ctx: EvidenceContext): Rendered {
  const r = ctx.result;
  const applied = appliedBy(ctx.resource);
  const w = ctx.model.windows;
  const dup = arr(r.duplicated);
  const lost = arr<unknown>(r.lost);
  const unexpected = arr<unknown>(r.unexpected);
  const dupCount = num(r.duplicatedCount) || dup.length;
  const lostCount = num(r.lostCount) || lost.length;
  const unexpectedCount = num(r.unexpectedCount) || unexpected.length;
  const unapplied = arr<unknown>(r.unapplied);
  const unappliedCount = num(r.unappliedCount) || unapplied.length;
  const cut = typeof r.cut === "string";
  const parts: string[] = [];
  if (dupCount) {
    const d = rec(dup[0]);
    const second = applied.get(String(d.id))?.[1];
    parts.push(
      `${plural(dupCount, "event")} applied more than once (first ${val(d.id)} ×${val(d.count)}${second ? `, again at ${nsText(second.time)} by ${String(second.holder)}, ${faultContext(w, seconds(second.time))}` : ""})`,
    );
  }
  if (lostCount)
    parts.push(`${plural(lostCount, "acknowledged event")} never applied (first ${val(lost[0])})`);
  if (unexpectedCount) parts.push(`${plural(unexpectedCount, "unexpected event")} applied`);
  if (parts.length && unappliedCount)
    parts.push(
      `${plural(unappliedCount, "acknowledged event")} not applied before the history was cut: not judged`,
    );
  const summary =
    parts.join("; ") ||
    (r.valid === true
      ? `${num(r.appliedCount)} events applied once each, none of ${num(r.acknowledgedCount)} acknowledged lost`
      : String(r.error ?? r.reason ?? ""));
  const idTable = (
    title: string,
    ids: readonly unknown[],
    total: number,
    idOf: (x: unknown) => unknown,
    extra?: (x: unknown) => string,
  ) =>
    ids.length
      ? html`<h4>${title}</h4>
          ${table(
            ["id", ...(extra ? ["times"] : []), "applied by", "nemesis"],
            ids.map((x) => {
              const id = String(idOf(x));
              const es = applied.get(id);
              const at = es?.[1]?.time ?? es?.[0]?.time;
              return [
                id,
                ...(extra ? [extra(x)] : []),
                writesCell(es),
                at === undefined ? "" : faultContext(w, seconds(at)),
              ];
            }),
          )}${capNote(ids.length, total)}`
      : html``;
  return {
    summary,
    body: html`${undecided(r)}${cutNote(r, "acknowledged events not applied by then are not judged lost")}${table(
      [
        "attempted",
        "acknowledged",
        "applied",
        "duplicated",
        "lost",
        ...(cut ? ["not applied by the cut"] : []),
        "unexpected",
        "recovered",
      ],
      [
        [
          num(r.attemptedCount),
          num(r.acknowledgedCount),
          num(r.appliedCount),
          dupCount,
          lostCount,
          ...(cut ? [unappliedCount] : []),
          unexpectedCount,
          num(r.recoveredCount),
        ],
      ],
      "counts",
    )}${idTable(
      "Applied more than once",
      dup,
      dupCount,
      (x) => rec(x).id,
      (x) => `×${val(rec(x).count)}`,
    )}${idTable("Acknowledged, never applied", lost, lostCount, (x) => x)}${idTable("Applied, never (successfully) attempted", unexpected, unexpectedCount, (x) => x)}${idTable(
      "Acknowledged, not applied before the history was cut (not judged: the final export would have applied them)",
      unapplied,
      unappliedCount,
      (x) => x,
    )}`,
  };
}
