/** noop: passes data unchanged. Also what a stage runs when its toxicity draw says "not this connection". */
import { defineToxic, isInterrupt } from "./toxic.ts";

export const noop = defineToxic({
  type: "noop",
  attributes: [],
  async pipe(stub) {
    for (;;) {
      const item = await stub.read();
      if (isInterrupt(item)) return;
      if (item === null) return stub.end();
      stub.write(item);
    }
  },
});
