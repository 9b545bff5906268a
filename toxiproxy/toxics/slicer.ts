/**
 * slicer: splits each chunk into pieces of about `average_size` ± `size_variation` bytes, with `delay`
 * microseconds between them (timers resolve to whole milliseconds).
 */
import type { Random } from "../random.ts";
import { defineToxic, isInterrupt } from "./toxic.ts";

export const slicer = defineToxic({
  type: "slicer",
  attributes: ["average_size", "size_variation", "delay"],
  async pipe(stub) {
    const { average_size: average, size_variation: variation, delay } = stub.attrs;
    for (;;) {
      const item = await stub.read();
      if (isInterrupt(item)) return;
      if (item === null) return stub.end();
      const cuts = sliceOffsets(item.data.length, average, variation, stub.rng);
      for (let i = 0; i + 1 < cuts.length; i++) {
        const start = cuts[i] as number;
        const end = cuts[i + 1] as number;
        stub.write({ data: item.data.subarray(start, end), ts: item.ts });
        if (end === item.data.length) break;
        if (!(await stub.sleepUntil(stub.now() + delay / 1000))) {
          return stub.unread({ data: item.data.subarray(end), ts: item.ts });
        }
      }
    }
  },
});

/**
 * Offsets [0, …, length] splitting `length` bytes as toxiproxy's slicer does: halve (± variation) until a
 * piece is within `variation` of the average. Always makes progress, whatever the attributes.
 */
export function sliceOffsets(length: number, average: number, variation: number, rng: Random): number[] {
  const cuts: number[] = [0];
  const split = (start: number, end: number): void => {
    if (end - start - average <= variation || end - start < 2) {
      cuts.push(end);
      return;
    }
    const jitter = variation > 0 ? rng.int(2 * variation) - variation : 0;
    const mid = Math.min(end - 1, Math.max(start + 1, start + Math.floor((end - start) / 2) + jitter));
    split(start, mid);
    split(mid, end);
  };
  if (length > 0) split(0, length);
  return cuts;
}
