/**
 * lock-safety and lost-updates (checkers/lock-safety.ts, workloads/lock/counter.ts): the accepted critical
 * sections that overlapped — both holders with their tokens, times and the nemesis at that moment — drawn
 * on a time axis with each holder's resource accesses and client operations; token regressions; lost
 * increments of the guarded counter.
 */
import { ordinal } from "../../checkers/ordinal.ts";
import type { ResourceEvent } from "../../kernel/resource.ts";
import { html, type Html } from "../html.ts";
import { faultContext, faultContextSpan, fmtMs, fmtS, seconds } from "../run-model.ts";
import {
  arr,
  capNote,
  foldedTable,
  nsText,
  num,
  plural,
  processLanes,
  rec,
  table,
  undecided,
  val,
  type EvidenceContext,
  type Rendered,
} from "./common.ts";
import type { Section } from "../../checkers/lock-safety.ts";
import { around, miniTimeline, type MiniLane, type MiniTick } from "./mini-timeline.ts";

const sameToken = (a: unknown, b: unknown): boolean => {
  const x = ordinal(a);
  const y = ordinal(b);
  return x !== undefined && y !== undefined ? x === y : String(a) === String(b);
};

/** The resource events that make up an accepted section. */
export function sectionEvents(resource: readonly ResourceEvent[], s: Section): ResourceEvent[] {
  return resource.filter(
    (e) =>
      String(e.holder) === String(s.holder) &&
      e.time >= s.start &&
      e.time <= s.end &&
      (s.token === undefined || sameToken(e.token, s.token)) &&
      (s.section === undefined || String(e.section) === String(s.section)),
  );
}

const idOf = (s: Section): string =>
  s.token !== undefined
    ? `token ${String(s.token)}`
    : s.section !== undefined
      ? `section ${String(s.section)}`
      : "no token";

function eventTick(e: ResourceEvent): MiniTick {
  const what = `${e.op}${e.accepted ? " accepted" : ` REJECTED${e.reason ? ` (${String(e.reason)})` : ""}`}`;
  const detail =
    e.op === "enter" && e.read !== undefined
      ? ` read ${val(e.read)}`
      : e.value !== undefined
        ? ` value ${val(e.value)}`
        : "";
  return {
    t: seconds(e.time),
    cls: e.accepted
      ? `res-${e.op === "enter" ? "enter" : e.op === "exit" ? "exit" : "write"}`
      : "res-rejected",
    title: `${nsText(e.time)}: ${String(e.holder)} ${what}${detail}${e.token !== undefined ? ` token ${String(e.token)}` : ""}`,
  };
}

const short = (v: unknown): string => {
  const t = String(v);
  return t.includes("/") ? t.slice(t.lastIndexOf("/") + 1) : t;
};

/** Token or section id, short (a lock znode path's last segment). */
const shortId = (s: Section): string =>
  s.token !== undefined
    ? `token ${String(s.token)}`
    : s.section !== undefined
      ? short(s.section)
      : `${nsText(s.start)}–${nsText(s.end)}`;

const key = (s: Section): string =>
  `${String(s.holder)}\u0000${String(s.token ?? "")}\u0000${String(s.section ?? "")}\u0000${s.start}`;

function sectionItem(tag: string, s: Section): MiniLane["items"][number] {
  return {
    start: seconds(s.start),
    end: seconds(s.end),
    cls: `section section-${tag}`,
    title: `${String(s.holder)} (${idOf(s)}) held the resource ${nsText(s.start)}–${nsText(s.end)}, ${plural(s.events, "accepted access", "accepted accesses")}`,
    label: `${shortId(s)} · ${nsText(s.start)}–${nsText(s.end)}`,
  };
}

/** Overlaps grouped by the section they overlapped (typically one long-held section, many others). */
function groupOverlaps(overlaps: readonly { a: Section; b: Section }[]): { a: Section; bs: Section[] }[] {
  const groups = new Map<string, { a: Section; bs: Section[] }>();
  for (const o of overlaps) {
    const k = key(o.a);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { a: o.a, bs: [] }));
    g.bs.push(o.b);
  }
  return [...groups.values()];
}

/** One section A and the sections B1…Bn accepted while it was held, with each holder's operations. */
function overlapFigure(ctx: EvidenceContext, a: Section, bs: readonly Section[]): Html {
  const evA = sectionEvents(ctx.resource, a);
  const start = seconds(Math.min(a.start, ...bs.map((b) => b.start)));
  const end = seconds(Math.max(a.end, ...bs.map((b) => b.end)));
  const { from, to } = around(start, end, 0.08, 0.1);
  const procs = (evs: readonly ResourceEvent[]) =>
    evs.map((e) => e.process).filter((p): p is number => typeof p === "number");
  const lanes: MiniLane[] = [
    { label: `A: ${String(a.holder)}`, items: [sectionItem("A", a)], ticks: evA.map(eventTick) },
    ...processLanes(ctx.model, from, to, procs(evA), "A ops · process"),
  ];
  const holders = [...new Set(bs.map((b) => String(b.holder)))];
  for (const h of holders) {
    const mine = bs.filter((b) => String(b.holder) === h);
    const ev = mine.flatMap((b) => sectionEvents(ctx.resource, b));
    lanes.push({ label: `B: ${h}`, items: mine.map((b) => sectionItem("B", b)), ticks: ev.map(eventTick) });
    lanes.push(...processLanes(ctx.model, from, to, procs(ev), "B ops · process"));
  }
  const bands = bs.map((b, i) => {
    const o0 = seconds(b.start);
    const o1 = seconds(Math.min(a.end, b.end));
    return {
      start: o0,
      end: o1,
      cls: bs.length > 3 ? "overlap many" : "overlap",
      title: `${String(a.holder)} and ${String(b.holder)} both held the resource for ${fmtMs((o1 - o0) * 1000)} (${fmtS(o0)}–${fmtS(o1)})`,
      ...(i === 0
        ? { label: bs.length === 1 ? `overlap ${fmtMs((o1 - o0) * 1000)}` : `${bs.length} overlaps` }
        : {}),
    };
  });
  return miniTimeline({
    from,
    to,
    lanes,
    windows: ctx.model.windows,
    bands,
    label: `critical sections overlapping the one of ${String(a.holder)}`,
  });
}

export function renderLockSafety(ctx: EvidenceContext): Rendered {
  const r = ctx.result;
  const overlaps = arr<{ a: Section; b: Section }>(r.overlaps).filter(
    (o) => rec(o.a).start !== undefined && rec(o.b).start !== undefined,
  );
  const regressions = arr(r.tokenRegressions);
  const overlapCount = num(r.overlapCount) || overlaps.length;
  const regressionCount = num(r.tokenRegressionCount) || regressions.length;
  const w = ctx.model.windows;
  const parts: string[] = [];
  const groups = groupOverlaps(overlaps);
  const g0 = groups[0];
  if (overlapCount > 0 && g0) {
    const t = seconds(g0.bs[0]!.start);
    parts.push(
      `${plural(overlapCount, "pair")} of accepted critical sections overlapped: ${String(g0.a.holder)} held ${shortId(g0.a)} ${nsText(g0.a.start)}–${nsText(g0.a.end)}, ${faultContextSpan(w, seconds(g0.a.start), seconds(g0.a.end))}, while other holders' sections were accepted, the first by ${String(g0.bs[0]!.holder)} at ${fmtS(t)}` +
        (groups.length > 1 ? `; ${groups.length - 1} more such section${groups.length > 2 ? "s" : ""}` : ""),
    );
  }
  if (regressionCount > 0) {
    const g = rec(regressions[0]);
    parts.push(
      `${plural(regressionCount, "token regression")}: first ${String(g.holder)} presented token ${val(g.token)} after ${val(g.previous)} at ${nsText(g.time)}`,
    );
  }
  const summary =
    parts.join("; ") ||
    (r.valid === true
      ? `${plural(num(r.sections), "critical section")}, ${num(r.accepted)} accepted and ${num(r.rejected)} rejected accesses; none overlapped${num(r.fencedEvents) ? ", tokens never went down" : ""}`
      : String(r.error ?? r.reason ?? ""));
  const counts = table(
    [
      "critical sections",
      "accepted accesses",
      "rejected accesses",
      "fenced accesses",
      "overlapping pairs",
      "token regressions",
    ],
    [[num(r.sections), num(r.accepted), num(r.rejected), num(r.fencedEvents), overlapCount, regressionCount]],
    "counts",
  );
  const overlapTable = groups.length
    ? html`${groups.map((g, gi) => {
          const t = seconds(g.bs[0]!.start);
          return html`<h4>
              ${gi + 1}. ${String(g.a.holder)} held ${shortId(g.a)} ${nsText(g.a.start)}–${nsText(g.a.end)}
              ${faultContextSpan(w, seconds(g.a.start), seconds(g.a.end))}; meanwhile
              ${overlaps.length < overlapCount ? "at least " : ""}${plural(g.bs.length, "other section was", "other sections were")}
              accepted, from ${fmtS(t)}
            </h4>
            ${gi < 3 ? overlapFigure(ctx, g.a, g.bs) : ""}${foldedTable(
              ["B: holder", "B: token / section", "B held", "overlap", "nemesis"],
              g.bs.map((b) => {
                const o0 = seconds(b.start);
                const o1 = seconds(Math.min(g.a.end, b.end));
                return [
                  String(b.holder),
                  idOf(b),
                  `${nsText(b.start)}–${nsText(b.end)}`,
                  fmtMs((o1 - o0) * 1000),
                  faultContext(w, o0),
                ];
              }),
              "overlapping sections",
            )}`;
        })}${capNote(overlaps.length, overlapCount)}
        <p class="note">
          A: the critical section others overlapped (first to last accepted access; ticks are accesses: green
          enter, blue exit, red rejected); B: sections of other holders accepted while A was held; the lanes
          under each show that client's operations. Red bands: times two holders held the resource at once.
        </p>`
    : html``;
  const regressionTable = regressions.length
    ? html`<h4>Token regressions</h4>
        ${table(
          ["time", "holder", "token", "after token", "held by", "nemesis"],
          regressions.map((g0) => {
            const g = rec(g0);
            return [
              nsText(g.time),
              val(g.holder),
              val(g.token),
              val(g.previous),
              val(g.previousHolder),
              faultContext(w, seconds(num(g.time))),
            ];
          }),
        )}${capNote(regressions.length, regressionCount)}`
    : html``;
  return { summary, body: html`${undecided(r)}${counts}${overlapTable}${regressionTable}` };
}

export function renderLostUpdates(ctx: EvidenceContext): Rendered {
  const r = ctx.result;
  const lost = arr(r.lostUpdates);
  const count = num(r.lostUpdateCount) || lost.length;
  const w = ctx.model.windows;
  const first = rec(lost[0]);
  const summary =
    count > 0
      ? `${plural(count, "lost increment")}; first: ${val(first.holder)} read ${val(first.read)} but the counter was ${val(first.current)} when it wrote ${val(first.wrote)} at ${nsText(first.time)}, ${faultContext(w, seconds(num(first.time)))}`
      : r.valid === true
        ? `${plural(num(r.increments), "increment")}, none lost (final value ${val(r.final)})`
        : String(r.error ?? r.reason ?? "");
  const body = html`${undecided(r)}${table(["increments", "final value", "lost increments"], [[num(r.increments), val(r.final), count]], "counts")}${
    lost.length
      ? html`<h4>Lost increments</h4>
          ${table(
            ["time", "holder", "section", "read at enter", "counter when written", "wrote", "nemesis"],
            lost.map((l0) => {
              const l = rec(l0);
              return [
                nsText(l.time),
                val(l.holder),
                val(l.section),
                val(l.read),
                val(l.current),
                val(l.wrote),
                faultContext(w, seconds(num(l.time))),
              ];
            }),
          )}${capNote(lost.length, count)}`
      : ""
  }`;
  return { summary, body };
}
