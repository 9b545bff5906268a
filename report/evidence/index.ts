/**
 * Which renderer shows which checker's result: by name for the built-in checkers, by shape for renamed
 * ones (a second linearizability checker, say), and the generic one for everything else.
 */
import { html } from "../html.ts";
import { renderCacheConvergence, renderCacheOrder, renderMissedUpdates } from "./cache.ts";
import { rec, type EvidenceContext, type Renderer, type Rendered } from "./common.ts";
import { renderAfterHeal } from "./after-heal.ts";
import { rawJson, renderGeneric, renderStats } from "./generic.ts";
import { renderLeaderSafety } from "./leader.ts";
import { renderLinearizable } from "./linearizable.ts";
import { renderLockSafety, renderLostUpdates } from "./lock.ts";
import { renderTotalQueue } from "./queue.ts";
import { renderSessionOrder } from "./session-order.ts";
import { renderStaleReads } from "./stale-reads.ts";
import { renderDuplicateWrites } from "./writes.ts";

const BY_NAME: Record<string, Renderer> = {
  "lock-safety": renderLockSafety,
  "lost-updates": renderLostUpdates,
  "total-queue": renderTotalQueue,
  "leader-safety": renderLeaderSafety,
  "duplicate-writes": renderDuplicateWrites,
  "session-order": renderSessionOrder,
  "stale-reads": renderStaleReads,
  linearizable: renderLinearizable,
  "missed-updates": renderMissedUpdates,
  "cache-convergence": renderCacheConvergence,
  "cache-order": renderCacheOrder,
  "after-heal": renderAfterHeal,
  stats: renderStats,
};

function byShape(r: Record<string, unknown>): Renderer | undefined {
  if (typeof r.model === "string" && "partitions" in r) return renderLinearizable;
  if ("overlaps" in r && "tokenRegressions" in r) return renderLockSafety;
  if ("staleWrites" in r && "sharedEpochs" in r) return renderLeaderSafety;
  if ("lostUpdates" in r) return renderLostUpdates;
  if ("dequeuedCount" in r) return renderTotalQueue;
  if ("appliedCount" in r && "duplicated" in r) return renderDuplicateWrites;
  if ("violations" in r && "checkedOps" in r) return renderSessionOrder;
  if ("missed" in r && "neverLearnedCount" in r) return renderMissedUpdates;
  if ("diverged" in r && "convergedClients" in r) return renderCacheConvergence;
  if ("violations" in r && "checkedReads" in r) return renderCacheOrder;
  if ("healedBy" in r && "deadline" in r) return renderAfterHeal;
  if ("staleByNode" in r && "readsChecked" in r) return renderStaleReads;
  return undefined;
}

/** Render one checker's result; a renderer that throws falls back to the generic view, with the error. */
export function renderEvidence(ctx: EvidenceContext): Rendered {
  const r = rec(ctx.result);
  const specific = BY_NAME[ctx.name] ?? byShape(r);
  if (specific) {
    try {
      const out = specific(ctx);
      return { summary: out.summary, body: html`${out.body}${specific === renderStats ? "" : rawJson(r)}` };
    } catch (err) {
      const g = renderGeneric(ctx);
      return {
        summary: g.summary,
        body: html`<p class="why">
            This result could not be drawn (${err instanceof Error ? err.message : String(err)}); shown as
            data.
          </p>
          ${g.body}`,
      };
    }
  }
  return renderGeneric(ctx);
}
