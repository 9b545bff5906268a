/**
 * Linearizability (checkers/linearizable/evidence.ts), drawn as Porcupine's visualizer does: the
 * operations around the one that could not be linearized, one lane per process on a time axis, the
 * longest linearizable prefix marked in linearization order, the stuck operation in red.
 */
import { html, type Html } from "../html.ts";
import { faultContext, fmtS, seconds } from "../run-model.ts";
import {
  arr,
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
import { around, miniTimeline, type MiniItem, type MiniLane } from "./mini-timeline.ts";

interface OpRef {
  index: number;
  process: number;
  op: string;
  start: number;
  end: number | null;
  indeterminate: boolean;
  /** The server that served it (checkers/linearizable/evidence.ts), when recorded. */
  node?: string;
}

interface Prefix {
  length: number;
  ops: OpRef[];
  state: string;
  stuck: OpRef;
}

/** " @zk2": where the op was served, when recorded. */
const at = (o: OpRef): string => (o.node ? ` @${o.node}` : "");

/** How many of the prefix's last operations are drawn besides those overlapping the failed one. */
const PREFIX_TAIL = 12;

const isRef = (v: unknown): v is OpRef => {
  const o = rec(v);
  return typeof o.index === "number" && typeof o.start === "number" && typeof o.op === "string";
};

export function renderLinearizable(ctx: EvidenceContext): Rendered {
  const r = ctx.result;
  const ev = rec(r.evidence);
  const failed = isRef(ev.failedOp) ? ev.failedOp : undefined;
  const model = typeof r.model === "string" ? r.model : "";
  const counts = table(
    ["model", "operations", "failed (excluded)", "indeterminate", "partitions", "decided", "search"],
    [
      [
        model,
        num(r.ops),
        num(r.failed),
        num(r.indeterminate),
        num(r.partitions),
        num(r.checkedPartitions),
        `${num(rec(r.stats).ms).toFixed(0)} ms, ${num(rec(r.stats).states)} states`,
      ],
    ],
    "counts",
  );
  if (!failed) {
    const summary =
      r.valid === true
        ? `${num(r.ops)} operations in ${plural(num(r.partitions), "partition")} linearizable${model ? ` (${model})` : ""}`
        : r.valid === "unknown"
          ? `undecided: ${String(r.reason ?? r.error ?? "no evidence")}`
          : String(ev.message ?? r.error ?? "not linearizable");
    return { summary, body: html`${undecided(r)}${counts}` };
  }
  const prefixes = arr<Prefix>(ev.prefixes).filter((p) => Array.isArray(p.ops));
  const first = prefixes[0];
  const order = new Map<number, number>(); // invoke index → position in the first prefix (1-based)
  first?.ops.forEach((o, i) => order.set(o.index, i + 1));
  const concurrent = arr<unknown>(ev.concurrent).filter(isRef);
  const fEnd = failed.end ?? Math.max(failed.start, ...concurrent.map((c) => c.end ?? c.start));
  const overlapping = (first?.ops ?? []).filter(
    (o) => o.start <= fEnd && (o.end ?? Infinity) >= failed.start,
  );
  const tail = (first?.ops ?? []).slice(-PREFIX_TAIL);
  const shown = new Map<number, OpRef>();
  for (const o of [...tail, ...overlapping, ...concurrent, failed]) shown.set(o.index, o);
  const ops = [...shown.values()];
  const t0 = seconds(Math.min(...ops.map((o) => o.start)));
  const t1 = seconds(Math.max(...ops.map((o) => o.end ?? o.start), fEnd));
  const { from, to } = around(t0, t1, 0.08, 0.01);
  const procs = [...new Set(ops.map((o) => o.process))].sort((a, b) => a - b);
  const itemOf = (o: OpRef): MiniItem => {
    const k = order.get(o.index);
    const isFailed = o.index === failed.index;
    const status = isFailed
      ? "cannot be linearized after the prefix"
      : k !== undefined
        ? `linearized #${k} of the longest prefix`
        : "concurrent, not in the prefix";
    return {
      start: seconds(o.start),
      end: o.end === null ? null : seconds(o.end),
      cls: isFailed ? "lin-failed" : k !== undefined ? "lin-prefix" : "lin-other",
      title: `process ${o.process}: ${o.op}${at(o)} · ${nsText(o.start)}–${o.end === null ? "no known end" : nsText(o.end)} · history index ${o.index} · ${status}`,
      label: `${k !== undefined ? `#${k} ` : isFailed ? "✗ " : ""}${o.op}${at(o)}`,
      ...(k !== undefined ? { shortLabel: `#${k}` } : isFailed ? { shortLabel: "✗" } : {}),
    };
  };
  const lanes: MiniLane[] = procs.map((p) => ({
    label: `process ${p}`,
    items: ops.filter((o) => o.process === p).map(itemOf),
  }));
  const figure = miniTimeline({
    from,
    to,
    lanes,
    windows: ctx.model.windows,
    bands: [
      {
        start: seconds(failed.start),
        end: seconds(failed.end ?? fEnd),
        cls: "stuck",
        title: `no linearization of the prefix can be extended by ${failed.op}`,
        label: "stuck here",
      },
    ],
    label: "operations around the first non-linearizable one",
  });
  const rows = ops
    .sort((a, b) => (order.get(a.index) ?? 1e12) - (order.get(b.index) ?? 1e12) || a.start - b.start)
    .map((o) => [
      order.has(o.index) ? `#${order.get(o.index)}` : o.index === failed.index ? "✗" : "—",
      o.process,
      o.op,
      o.node ?? "",
      nsText(o.start),
      o.end === null ? "unknown" : nsText(o.end),
      o.index,
    ]);
  const t = seconds(failed.start);
  const summary = `${String(ev.message ?? `${failed.op} cannot be linearized`)}, at ${fmtS(t)} ${faultContext(ctx.model.windows, t)}`;
  const others: Html =
    prefixes.length > 1
      ? html`<h4>Other longest prefixes</h4>
          ${table(
            ["length", "state after", "stuck at"],
            prefixes.map((p) => [
              p.length,
              val(p.state),
              isRef(p.stuck) ? `${p.stuck.op} (process ${p.stuck.process})` : "",
            ]),
          )}`
      : html``;
  return {
    summary,
    body: html`${counts}
      ${
        first
          ? html`<p>
              Longest linearizable prefix: <b>${first.length}</b> of ${num(ev.ops)}
              operations${ev.key !== undefined ? html` (key ${val(ev.key)})` : ""}; state after it:
              <code>${val(first.state)}</code>.
            </p>`
          : ""
      }${figure}
      <p class="note">
        Green: the last operations of the longest linearizable prefix, numbered in linearization order; red:
        the operation no order can include next; grey: concurrent operations outside the prefix. Faded bars
        never completed (unknown outcome).
      </p>
      ${table(["order", "process", "operation", "server", "invoked", "completed", "history index"], rows)}${others}`,
  };
}
