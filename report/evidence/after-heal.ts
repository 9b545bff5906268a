/**
 * after-heal (checkers/after-heal.ts): the last heal, the bound after it, the attempts made after it (a lock
 * taken, a leader's write, a drain) and the probe's listings on a time axis; the ephemerals that belong to
 * no live session, and what the last listing held.
 */
import { PROBE_F } from "../../checkers/after-heal.ts";
import { html, type Html } from "../html.ts";
import { fmtS, seconds } from "../run-model.ts";
import {
  arr,
  capNote,
  foldedTable,
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
import { miniTimeline, type MiniBand, type MiniItem, type MiniLane } from "./mini-timeline.ts";

const endOf = (a: Record<string, unknown>): number | null => (typeof a.end === "number" ? a.end : null);

const attemptText = (a: Record<string, unknown>): string =>
  `${String(a.f)} by process ${String(a.process)} ${nsText(a.start)}–${endOf(a) === null ? "…" : nsText(a.end)} → ${String(a.type)}${a.error ? ` (${String(a.error)})` : ""}`;

function figure(ctx: EvidenceContext, r: Record<string, unknown>): Html {
  const heal = seconds(num(r.lastHeal));
  const deadline = seconds(num(r.deadline));
  const progress = rec(r.progress);
  const attempts = arr(progress.attempts);
  const eph = rec(r.ephemerals);
  const probes = ctx.model.spans.filter((s) => s.f === PROBE_F && s.start >= heal);
  const ends = [
    deadline,
    ...attempts.map((a) => seconds(endOf(a) ?? num(a.start))),
    ...probes.map((s) => s.end ?? s.start),
  ];
  const from = heal - Math.max(2, (deadline - heal) * 0.1);
  const to = Math.max(...ends) + Math.max(2, (deadline - heal) * 0.05);
  const byProcess = new Map<number, MiniItem[]>();
  for (const a of attempts) {
    const items = byProcess.get(num(a.process)) ?? [];
    items.push({
      start: seconds(num(a.start)),
      end: endOf(a) === null ? null : seconds(endOf(a)!),
      cls: String(a.type),
      title: attemptText(a),
      label: `${String(a.f)} → ${String(a.type)}`,
      shortLabel: String(a.type),
    });
    byProcess.set(num(a.process), items);
  }
  const leaked = num(eph.leakedCount) > 0;
  const lanes: MiniLane[] = [...byProcess]
    .sort(([a], [b]) => a - b)
    .map(([p, items]) => ({ label: `process ${p}`, items }));
  if (probes.length)
    lanes.push({
      label: "probe: lists the znodes",
      items: probes.map((s) => ({
        start: s.start,
        end: s.end,
        cls: s.type,
        title: `probe by process ${s.process} ${fmtS(s.start)}–${s.end === null ? "…" : fmtS(s.end)}`,
        label: "waits a session timeout, lists",
      })),
      ticks: probes
        .filter((s) => s.end !== null)
        .map((s) => ({
          t: s.end!,
          cls: leaked ? "res-rejected" : "res-write",
          title: `listing by process ${s.process} at ${fmtS(s.end!)}${leaked ? ": ephemerals of sessions no client holds" : ""}`,
        })),
    });
  const stuck = typeof r.stuckAt === "number";
  const bands: MiniBand[] = [
    {
      start: heal,
      end: deadline,
      cls: stuck ? "stuck" : "band odd",
      title: `the bound: ${fmtS(deadline - heal)} after the last heal (${String(r.healedBy ?? "")} at ${fmtS(heal)})`,
      // The label is drawn in the alarm colour: only where the bound passed without progress.
      ...(stuck ? { label: `bound ${fmtS(deadline - heal)} after the last heal` } : {}),
    },
  ];
  if (stuck)
    bands.push({
      start: deadline,
      end: to,
      cls: "overlap",
      title: "past the bound with no success",
      label: "past the bound",
    });
  return miniTimeline({ from, to, lanes, bands, windows: ctx.model.windows, label: "after the last heal" });
}

/** Which listings count, as the checker said (older results say nothing). */
const listingRule = (letGo: unknown): string =>
  letGo === null
    ? "; any listing counts: no session was let go"
    : typeof letGo === "string"
      ? `; listings a session timeout after the heal count: ${letGo}`
      : "";

export function renderAfterHeal(ctx: EvidenceContext): Rendered {
  const r = ctx.result;
  if (typeof r.notJudged === "string")
    return {
      summary: `not judged: ${r.notJudged}`,
      body: html`<p class="why">Not judged: ${r.notJudged}.</p>`,
    };
  const progress = rec(r.progress);
  const firstOk = progress.firstOk ? rec(progress.firstOk) : null;
  const eph = rec(r.ephemerals);
  const leaked = arr(eph.leaked);
  const leakedCount = num(eph.leakedCount) || leaked.length;
  const last = rec(eph.last);
  const live = new Set(arr<string>(eph.liveSessions));
  const drained = r.drained ? rec(r.drained) : null;
  const heal = num(r.lastHeal);
  const boundS = num(r.boundMs) / 1000;
  const stuck = arr<string>(r.stuck);
  const summary =
    stuck.join("; ") ||
    (r.valid === true
      ? `${firstOk ? `${String(firstOk.f)} succeeded ${((num(firstOk.end) - heal) / 1e9).toFixed(1)} s after the last heal` : "progress"} (bound ${boundS.toFixed(1)} s)${drained ? `, all ${num(drained.acknowledged)} acknowledged items out by then` : ""}; ${num(eph.judgedListings) ? `no ephemeral of a session no client holds among ${plural(num(last.nodeCount), "listed znode")}` : "no listing judged"}`
      : String(r.reason ?? r.error ?? ""));
  const facts = table(
    [
      "last heal",
      "bound",
      "deadline",
      "tried after the heal",
      "first success",
      "listings (judged)",
      "leaked",
    ],
    [
      [
        `${nsText(heal)} (${String(r.healedBy ?? "")})`,
        `${boundS.toFixed(1)} s (${String(r.boundSource ?? "")})`,
        nsText(r.deadline),
        num(progress.tried),
        firstOk ? `${nsText(firstOk.end)} by process ${String(firstOk.process)}` : "none",
        `${num(eph.listings)} (${num(eph.judgedListings)})${listingRule(eph.letGo)}`,
        leakedCount,
      ],
    ],
    "counts",
  );
  const attempts = arr(progress.attempts);
  const attemptsTable = attempts.length
    ? html`<h4>Attempts after the last heal</h4>
        ${foldedTable(
          ["process", "op", "from", "to", "outcome", "error", "session"],
          attempts.map((a) => [
            num(a.process),
            String(a.f),
            nsText(a.start),
            endOf(a) === null ? "…" : nsText(a.end),
            String(a.type),
            a.error ? String(a.error) : "",
            a.session ? String(a.session) : "",
          ]),
          "attempts",
        )}${capNote(attempts.length, num(progress.tried))}`
    : html``;
  const leakedTable = leaked.length
    ? html`<h4>Ephemerals owned by a session no client holds</h4>
        ${table(
          ["znode", "owner session", "listed at"],
          leaked.map((n) => [String(n.path), String(n.owner), nsText(n.listedAt)]),
        )}${capNote(leaked.length, leakedCount)}`
    : html``;
  const nodes = arr(last.nodes);
  const status = (owner: unknown): string =>
    owner === null || owner === undefined
      ? "persistent"
      : live.has(String(owner))
        ? "ephemeral of a live session"
        : "ephemeral of a session no client holds";
  const listing = nodes.length
    ? html`<h4>The last listing (${nsText(last.at)}, process ${val(last.process)})</h4>
        ${foldedTable(
          ["znode", "owner", "what"],
          nodes.map((n) => [String(n.path), n.owner === null ? "—" : String(n.owner), status(n.owner)]),
          "listed znodes",
        )}${capNote(nodes.length, num(last.nodeCount))}`
    : html``;
  const drainedPart =
    drained && num(drained.lateCount) + num(drained.neverCount) > 0
      ? html`<h4>Acknowledged items not out within the bound</h4>
          ${table(
            ["", "count", "first items"],
            [
              [
                "dequeued late",
                num(drained.lateCount),
                arr(drained.late)
                  .slice(0, 10)
                  .map((v) => val(v))
                  .join(", "),
              ],
              [
                "never dequeued",
                num(drained.neverCount),
                arr(drained.never)
                  .slice(0, 10)
                  .map((v) => val(v))
                  .join(", "),
              ],
            ],
          )}`
      : html``;
  return {
    summary,
    body: html`${undecided(r)}${facts}${r.lastHeal !== undefined ? figure(ctx, r) : ""}${attemptsTable}${leakedTable}${drainedPart}${listing}`,
  };
}
