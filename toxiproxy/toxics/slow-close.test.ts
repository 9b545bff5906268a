import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness } from "../testing/harness.ts";
import { connect, echoServer, Probe, startHarness } from "../testing/harness.ts";
import type { Upstream } from "../testing/harness.ts";

let h: Harness;
let closer: Upstream;
beforeEach(async () => {
  h = await startHarness();
  closer = await echoServer((s) => s.end("bye"));
});
afterEach(async () => {
  await h.close();
  await closer.close();
});

describe("slow_close toxic", () => {
  it("delays the close the server sent by its delay, data first", async () => {
    const port = await h.proxy("p", { upstream: `127.0.0.1:${closer.port}` });
    const quick = new Probe(await connect(port));
    await quick.closed;
    expect(quick.endedAt).toBeLessThan(100);

    await h.api("POST", "/proxies/p/toxics", { type: "slow_close", attributes: { delay: 300 } });
    const slow = new Probe(await connect(port));
    await slow.waitBytes(3);
    expect(slow.arrivals[0]).toBeLessThan(100);
    await slow.closed;
    expect(slow.text()).toBe("bye");
    expect(slow.endedAt).toBeGreaterThanOrEqual(290);
    expect(slow.endedAt).toBeLessThan(500);
  });
});
