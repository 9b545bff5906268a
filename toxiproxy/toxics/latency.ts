/**
 * latency: each chunk is delayed by `latency` ± `jitter` ms (uniform in [-jitter, +jitter)), counted from
 * when it arrived; order is preserved. An update re-applies the new delay to a chunk still waiting; removal
 * lets waiting chunks go at once.
 */
import { defineToxic, isInterrupt } from "./toxic.ts";

export const latency = defineToxic({
  type: "latency",
  attributes: ["latency", "jitter"],
  async pipe(stub) {
    const { latency: base, jitter } = stub.attrs;
    for (;;) {
      const item = await stub.read();
      if (isInterrupt(item)) return;
      if (item === null) return stub.end();
      const delay = jitter > 0 ? base + stub.rng.int(2 * jitter) - jitter : base;
      const due = item.ts + delay;
      if (!(await stub.sleepUntil(due))) return stub.unread(item);
      stub.write({ data: item.data, ts: Math.max(item.ts, due) });
    }
  },
});
