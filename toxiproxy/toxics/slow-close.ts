/** slow_close: delays passing on the end of the stream (the FIN) by `delay` ms. */
import { defineToxic, isInterrupt } from "./toxic.ts";

export const slowClose = defineToxic({
  type: "slow_close",
  attributes: ["delay"],
  async pipe(stub) {
    for (;;) {
      const item = await stub.read();
      if (isInterrupt(item)) return;
      if (item !== null) {
        stub.write(item);
        continue;
      }
      if (!(await stub.sleepUntil(stub.now() + stub.attrs.delay))) return stub.unread(null);
      return stub.end();
    }
  },
});
