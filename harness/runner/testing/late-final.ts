/**
 * Test client: its final op `take` fails on every slot but 0, and on slot 0 until its third try (a lock that
 * frees up a little after the heal). Main-phase ops succeed.
 */
import type { WorkloadClient } from "../../../workloads/workload.ts";

export default function lateFinal(): WorkloadClient {
  let tries = 0;
  return {
    async invoke(ctx, op) {
      if (op.f !== "take") return { type: "ok", value: null };
      await new Promise((r) => setTimeout(r, 20));
      if (ctx.slot === 0 && ++tries >= 3) return { type: "ok", value: null };
      return { type: "fail", error: "busy" };
    },
  };
}
