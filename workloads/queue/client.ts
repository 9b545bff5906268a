/**
 * The queue's client side (see index.ts for the recipe). Ops:
 * - `enqueue n` → ok n once the recipe believes the element is in; info when it gives up unsure;
 * - `dequeue` → ok <value>, ok null when the queue is empty, fail when nothing was touched, info when a
 *   claim or delete stayed unknown;
 * - `drain` (final phase) → ok [values…]: takes until the queue is empty, re-delivering elements whose
 *   main-phase claimant gave up (their marker is stolen with a versioned setData, so one drainer wins).
 */
import type { OpOutcome, OpRequest, WorkerContext, WorkloadClient } from "../workload.ts";
import { QUEUE_PATH, TAKEN_PATH } from "./index.ts";
import { bySequence, errorCode, hasCode, isIndeterminate, recover, recoveryMs, sleep } from "./recovery.ts";
import { ensurePath } from "../zk/ensure-path.ts";

/** How long one drain op keeps going. */
const DRAIN_MS = 60_000;

interface Claim {
  by: string;
  phase: "main" | "final";
}

const encodeValue = (value: unknown): Buffer => Buffer.from(JSON.stringify({ value }), "utf8");
const decodeValue = (data: Buffer): unknown =>
  (JSON.parse(data.toString("utf8")) as { value: unknown }).value;
const encodeClaim = (c: Claim): Buffer => Buffer.from(JSON.stringify(c), "utf8");
function decodeClaim(data: Buffer): Claim | null {
  try {
    const c = JSON.parse(data.toString("utf8")) as Partial<Claim>;
    return typeof c.by === "string" && (c.phase === "main" || c.phase === "final") ? (c as Claim) : null;
  } catch {
    return null;
  }
}

/** The name prefix of the protected variant's element for value n, created by client slot `slot`. */
export const protectedPrefix = (slot: number, value: unknown): string => `item-${slot}-${String(value)}-`;
/** Whether `name` is a sequential node created with `prefix` (the prefix plus ZooKeeper's 10 digits). */
export const isOwn = (name: string, prefix: string): boolean =>
  name.length === prefix.length + 10 && name.startsWith(prefix) && /^\d{10}$/.test(name.slice(prefix.length));

type Take =
  | { kind: "taken"; value: unknown }
  /** Gone, or someone else's: try the next element. */
  | { kind: "skip" }
  /** Failed before anything was written: certainly nothing happened. */
  | { kind: "untouched"; error: string }
  /** Gave up after a write whose outcome stayed unknown. */
  | { kind: "unknown"; error: string };

export default function queueClient(variant: string): WorkloadClient {
  const protectedCreate = variant === "protected";
  let claims = 0;

  /** Naive: re-issue the sequential create until one attempt answers. Seed 001's bug. */
  async function enqueueNaive(ctx: WorkerContext, value: unknown): Promise<OpOutcome> {
    const deadline = Date.now() + recoveryMs(ctx);
    let uncertain = false;
    for (;;) {
      try {
        await ctx.zk.create(`${QUEUE_PATH}/item-`, encodeValue(value), "persistent_sequential");
        return { type: "ok", value };
      } catch (err) {
        if (!isIndeterminate(err)) {
          if (uncertain) return { type: "info", error: errorCode(err) };
          throw err; // refused outright: fail
        }
        uncertain = true;
        if (Date.now() >= deadline) return { type: "info", error: errorCode(err) };
        await recover(ctx, deadline);
      }
    }
  }

  /** Protected: after an indeterminate create, look for our own node (queue, then taken markers) first. */
  async function enqueueProtected(ctx: WorkerContext, value: unknown): Promise<OpOutcome> {
    const prefix = protectedPrefix(ctx.slot, value);
    const deadline = Date.now() + recoveryMs(ctx);
    let uncertain = false;
    let lastError = "";
    for (;;) {
      try {
        await ctx.zk.create(`${QUEUE_PATH}/${prefix}`, encodeValue(value), "persistent_sequential");
        return { type: "ok", value };
      } catch (err) {
        if (!isIndeterminate(err)) {
          if (uncertain) return { type: "info", error: errorCode(err) };
          throw err;
        }
        uncertain = true;
        lastError = errorCode(err);
      }
      // Did an earlier attempt create it? Find out before creating again.
      for (;;) {
        if (Date.now() >= deadline) return { type: "info", error: lastError };
        await recover(ctx, deadline);
        try {
          // A server that has not seen our create yet would hide it: catch up with the leader first. The
          // queue is listed before the markers: a node taken in between is then found among the markers.
          await ctx.zk.sync(QUEUE_PATH);
          if ((await ctx.zk.getChildren(QUEUE_PATH)).some((n) => isOwn(n, prefix)))
            return { type: "ok", value };
          if ((await ctx.zk.getChildren(TAKEN_PATH)).some((n) => isOwn(n, prefix)))
            return { type: "ok", value };
          break; // certainly not there: create again
        } catch (err) {
          lastError = errorCode(err);
        }
      }
    }
  }

  /**
   * Take element `name`: read its value, claim it (mode "claim": create the marker; mode "steal": take over
   * a stale main-phase marker with setData on version 0), then delete it.
   */
  async function take(
    ctx: WorkerContext,
    name: string,
    phase: Claim["phase"],
    mode: "claim" | "steal",
  ): Promise<Take> {
    const item = `${QUEUE_PATH}/${name}`;
    const marker = `${TAKEN_PATH}/${name}`;
    let value: unknown;
    try {
      value = decodeValue((await ctx.zk.getData(item)).data);
    } catch (err) {
      return hasCode(err, "NONODE") ? { kind: "skip" } : { kind: "untouched", error: errorCode(err) };
    }
    const claim: Claim = { by: `${ctx.slot}/${ctx.process}/${claims++}`, phase };
    const deadline = Date.now() + recoveryMs(ctx);
    // 1. Claim.
    let uncertain = false;
    let lastError = "";
    for (let attempt = true; ;) {
      if (attempt) {
        try {
          if (mode === "claim") await ctx.zk.create(marker, encodeClaim(claim), "persistent");
          else await ctx.zk.setData(marker, encodeClaim(claim), 0);
          break; // ours
        } catch (err) {
          if (!isIndeterminate(err)) {
            if (!uncertain) return { kind: "skip" }; // NODEEXISTS / BADVERSION / NONODE: someone else's
          } else {
            uncertain = true;
            lastError = errorCode(err);
          }
        }
      }
      // The reply was lost (or a retry was refused): the marker says who holds it.
      if (Date.now() >= deadline) return { kind: "unknown", error: lastError };
      await recover(ctx, deadline);
      try {
        const { data, stat } = await ctx.zk.getData(marker);
        const holder = decodeClaim(data);
        if (holder?.by === claim.by) break; // ours
        // Still the stale main-phase claim: our setData did not land; try again. Else someone else's.
        if (mode === "steal" && stat.version === 0 && holder?.phase === "main") attempt = true;
        else return { kind: "skip" };
      } catch (err) {
        if (mode === "claim" && hasCode(err, "NONODE"))
          attempt = true; // our create did not land
        else {
          attempt = false;
          lastError = errorCode(err);
        }
      }
    }
    // 2. Delete. Only the claimant deletes a claimed element, so NONODE after a lost reply means ours went in.
    for (;;) {
      try {
        await ctx.zk.delete(item);
        return { kind: "taken", value };
      } catch (err) {
        if (hasCode(err, "NONODE")) return { kind: "taken", value };
        lastError = errorCode(err);
        if (Date.now() >= deadline) return { kind: "unknown", error: lastError };
        await recover(ctx, deadline);
      }
    }
  }

  async function dequeue(ctx: WorkerContext): Promise<OpOutcome> {
    let names: string[];
    try {
      names = await ctx.zk.getChildren(QUEUE_PATH);
    } catch (err) {
      return { type: "fail", error: errorCode(err) };
    }
    // A skipped element changed nothing of ours (its claim was refused or landed for someone else).
    for (const name of bySequence(names)) {
      const t = await take(ctx, name, "main", "claim");
      if (t.kind === "taken") return { type: "ok", value: t.value };
      if (t.kind === "unknown") return { type: "info", error: t.error };
      if (t.kind === "untouched") return { type: "fail", error: t.error };
    }
    return { type: "ok", value: null };
  }

  async function drain(ctx: WorkerContext): Promise<OpOutcome> {
    const deadline = Date.now() + DRAIN_MS;
    const taken: unknown[] = [];
    const errors: string[] = [];
    let idlePasses = 0;
    while (Date.now() < deadline) {
      let names: string[];
      try {
        await ctx.zk.sync(QUEUE_PATH);
        names = bySequence(await ctx.zk.getChildren(QUEUE_PATH));
      } catch (err) {
        errors.push(errorCode(err));
        await recover(ctx, deadline);
        continue;
      }
      if (names.length === 0) break;
      let progress = false;
      for (const name of names) {
        let mode: "claim" | "steal" | null;
        try {
          const { data, stat } = await ctx.zk.getData(`${TAKEN_PATH}/${name}`);
          // A main-phase claim still unfinished now was left by an op that gave up: re-deliver it.
          mode = decodeClaim(data)?.phase === "main" && stat.version === 0 ? "steal" : null;
        } catch (err) {
          if (hasCode(err, "NONODE")) mode = "claim";
          else {
            errors.push(errorCode(err));
            break;
          }
        }
        if (mode === null) continue; // another drainer holds it
        const t = await take(ctx, name, "final", mode);
        if (t.kind === "taken") {
          taken.push(t.value);
          progress = true;
        } else if (t.kind === "unknown") errors.push(`${name}: ${t.error}`);
        else if (t.kind === "untouched") {
          errors.push(t.error);
          break;
        }
      }
      if (progress) idlePasses = 0;
      else if (++idlePasses > 20)
        break; // what is left is held by other drainers
      else await sleep(200);
    }
    return {
      type: "ok",
      value: taken,
      ...(errors.length > 0 ? { error: [...new Set(errors)].slice(0, 5).join("; ") } : {}),
    };
  }

  return {
    async setup(ctx) {
      await ensurePath(ctx.zk, QUEUE_PATH);
      await ensurePath(ctx.zk, TAKEN_PATH);
    },
    async invoke(ctx: WorkerContext, op: OpRequest): Promise<OpOutcome> {
      switch (op.f) {
        case "enqueue":
          return protectedCreate ? enqueueProtected(ctx, op.value) : enqueueNaive(ctx, op.value);
        case "dequeue":
          return dequeue(ctx);
        case "drain":
          return drain(ctx);
        default:
          return { type: "fail", error: `unknown op ${op.f}` };
      }
    },
  };
}
