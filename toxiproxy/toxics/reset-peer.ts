/**
 * reset_peer: on the first data (or end of stream) in its direction, waits `timeout` ms, then resets the
 * connection with a real TCP RST on both sides. Nothing passes once it has been triggered. Unlike
 * toxiproxy, a connection its toxicity draw spared is left alone.
 */
import { defineToxic, isInterrupt } from "./toxic.ts";

export const resetPeer = defineToxic({
  type: "reset_peer",
  attributes: ["timeout"],
  async pipe(stub) {
    const item = await stub.read();
    if (isInterrupt(item)) return;
    if (!(await stub.sleepUntil(stub.now() + stub.attrs.timeout))) return stub.unread(item);
    stub.reset();
  },
});
