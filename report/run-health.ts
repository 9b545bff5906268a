/**
 * The "Run health" line under the verdict, from results.json's `health`: how busy the harness and its host
 * were while the run recorded, and a plain warning when the machine looked overloaded, so a reader can
 * tell a slow machine from a slow ensemble. A results.json from before `health` shows nothing.
 */
import type { RunHealth } from "../kernel/run-health.ts";
import { html, type Html } from "./html.ts";

/** Past these the harness host, not the ensemble, may explain timeouts. */
export const BUSY = { loopDelayMs: 100, utilization: 0.9, pacerLagMs: 100 } as const;

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function numbers<K extends string>(v: unknown, keys: readonly K[]): Record<K, number> | undefined {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const out = {} as Record<K, number>;
  for (const k of keys) {
    const n = num(o[k]);
    if (n === undefined) return undefined;
    out[k] = n;
  }
  return out;
}

/** results.json's `health`, or null when absent or not of its shape (an older or damaged file). */
export function parseRunHealth(v: unknown): RunHealth | null {
  const top = numbers(v, ["seconds", "eventLoopUtilization"]);
  if (!top) return null;
  const o = v as Record<string, unknown>;
  const eventLoopDelayMs = numbers(o.eventLoopDelayMs, ["max", "p99", "mean"]);
  const load = numbers(o.load, ["mean", "max", "samples", "cpus"]);
  const harnessCpu = numbers(o.harnessCpu, ["userS", "systemS", "percent"]);
  const pacer = numbers(o.pacer, ["paced", "behind", "worstLagMs", "thresholdMs"]);
  if (!eventLoopDelayMs || !load || !harnessCpu || !pacer) return null;
  return { ...top, eventLoopDelayMs, load, harnessCpu, pacer };
}

const ms = (x: number): string => `${x >= 10 ? Math.round(x) : x.toFixed(1)}\u00a0ms`;
const times = (n: number): string => (n === 1 ? "once" : `${n} times`);

/** Why the machine looked overloaded, one phrase each; empty when it did not. */
export function busyReasons(h: RunHealth): string[] {
  const why: string[] = [];
  if (h.load.max > h.load.cpus)
    why.push(`the host's load reached ${h.load.max.toFixed(1)} on ${h.load.cpus} CPUs`);
  if (h.eventLoopDelayMs.max >= BUSY.loopDelayMs)
    why.push(`the harness's event loop stalled for up to ${ms(h.eventLoopDelayMs.max)}`);
  if (h.eventLoopUtilization >= BUSY.utilization)
    why.push(`the harness's event loop was busy ${Math.round(100 * h.eventLoopUtilization)}% of the time`);
  if (h.pacer.behind > 0 && h.pacer.worstLagMs >= BUSY.pacerLagMs)
    why.push(`operations went out up to ${ms(h.pacer.worstLagMs)} after their slot`);
  return why;
}

/** One line of figures: "pacer behind 3 times (worst 420 ms) · event-loop delay max 85 ms · …". */
export function healthLine(h: RunHealth): string {
  const p = h.pacer;
  const pacer =
    p.paced === 0
      ? "pacer: no paced operations"
      : p.behind === 0
        ? `pacer on time (${p.paced} paced, worst ${ms(p.worstLagMs)})`
        : `pacer behind ${times(p.behind)} of ${p.paced} (over ${ms(p.thresholdMs)}; worst ${ms(p.worstLagMs)})`;
  return [
    pacer,
    `event-loop delay max ${ms(h.eventLoopDelayMs.max)} (p99 ${ms(h.eventLoopDelayMs.p99)})`,
    `host load ${h.load.mean.toFixed(1)} avg / ${h.load.max.toFixed(1)} max on ${h.load.cpus} CPU${h.load.cpus === 1 ? "" : "s"}`,
    `harness CPU ${Math.round(h.harnessCpu.percent)}% of a core`,
  ].join(" · ");
}

/** The block under the verdict; nothing for a run without health figures. */
export function runHealthBlock(health: RunHealth | null | undefined): Html {
  if (!health) return html``;
  const why = busyReasons(health);
  return html`<div id="health" class="health${why.length ? " busy" : ""}">
    <b>Run health</b> (${health.seconds.toFixed(0)}&nbsp;s watched): ${healthLine(health)}
    ${
      why.length
        ? html`<p class="hint">
            The machine was busy (${why.join("; ")}): timeouts may come from the harness host rather than the
            ensemble.
          </p>`
        : ""
    }
  </div>`;
}
