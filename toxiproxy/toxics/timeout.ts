/**
 * timeout: a blackhole. Drops everything, end of stream included. With `timeout` > 0 it closes the
 * connection that many ms after it started on it; with 0 it never does. Removing it closes the connections
 * it was active on (their streams lost data), as toxiproxy's Cleanup does. Set on one stream only, it is a
 * one-direction blackhole.
 */
import { defineToxic, TIMED_OUT, INTERRUPTED } from "./toxic.ts";

export const timeout = defineToxic({
  type: "timeout",
  attributes: ["timeout"],
  async pipe(stub) {
    const deadline = stub.attrs.timeout > 0 ? stub.now() + stub.attrs.timeout : undefined;
    for (;;) {
      const item = await stub.read(deadline);
      if (item === INTERRUPTED) return;
      if (item === TIMED_OUT) return stub.close();
      // Dropped on the floor, FIN included: nothing crosses a blackhole.
    }
  },
  cleanup(stub) {
    stub.close();
  },
});
