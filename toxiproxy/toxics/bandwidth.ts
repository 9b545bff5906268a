/**
 * bandwidth: passes at most `rate` KB/s (1 KB = 1000 bytes), chunks larger than 100 ms worth going out in
 * 100 ms slices. `rate: 0` stalls the stream until the toxic is updated or removed, as toxiproxy's does.
 */
import { defineToxic, isInterrupt } from "./toxic.ts";

export const bandwidth = defineToxic({
  type: "bandwidth",
  attributes: ["rate"],
  async pipe(stub) {
    const rate = stub.attrs.rate; // bytes per ms
    const slice = Math.max(1, rate * 100);
    let clock = stub.now(); // when the bytes passed on so far are due; no credit from before this run
    for (;;) {
      const item = await stub.read();
      if (isInterrupt(item)) return;
      if (item === null) return stub.end();
      if (rate <= 0) {
        await stub.sleepUntil(Infinity);
        return stub.unread(item);
      }
      let data = item.data;
      while (data.length > 0) {
        const n = Math.min(data.length, slice);
        // Due after the previous bytes, or after its own arrival when the link was idle; late timers are
        // caught up on, so the average rate holds.
        clock = Math.max(clock, item.ts) + n / rate;
        if (!(await stub.sleepUntil(clock))) return stub.unread({ data, ts: item.ts });
        stub.write({ data: data.subarray(0, n), ts: item.ts });
        data = data.subarray(n);
      }
    }
  },
});
