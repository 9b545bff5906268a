/** limit_data: passes at most `bytes` in its direction over the connection's life, then closes it. */
import { defineToxic, isInterrupt } from "./toxic.ts";

export const limitData = defineToxic<"bytes", { sent: number }>({
  type: "limit_data",
  attributes: ["bytes"],
  newState: () => ({ sent: 0 }),
  async pipe(stub) {
    const { bytes } = stub.attrs;
    for (;;) {
      const item = await stub.read();
      if (isInterrupt(item)) return;
      if (item === null) return stub.end();
      const allowed = Math.max(0, bytes - stub.state.sent);
      const data = item.data.length > allowed ? item.data.subarray(0, allowed) : item.data;
      if (data.length > 0) {
        stub.write({ data, ts: item.ts });
        stub.state.sent += data.length;
      }
      if (bytes - stub.state.sent <= 0) return stub.close();
    }
  },
});
