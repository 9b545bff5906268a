import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness } from "../testing/harness.ts";
import { connect, Probe, roundTrip, sleep, startHarness, until } from "../testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("reset_peer toxic", () => {
  it("resets the connection with a real RST: the client sees ECONNRESET", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "reset_peer", attributes: { timeout: 0 } });
    const probe = new Probe(await connect(port));
    probe.socket.write("trigger");
    await probe.closed;
    expect(probe.error).toBe("ECONNRESET");
    expect(probe.bytes).toBe(0);
    await until(() => h.echo.sockets[0]?.destroyed === true);
  });

  it("waits its timeout after the first data", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", {
      type: "reset_peer",
      stream: "upstream",
      attributes: { timeout: 200 },
    });
    const probe = new Probe(await connect(port));
    await sleep(100);
    expect(probe.closedAt).toBeUndefined();
    const sentAt = performance.now() - probe.started;
    probe.socket.write("trigger");
    await probe.closed;
    expect(probe.error).toBe("ECONNRESET");
    expect((probe.closedAt as number) - sentAt).toBeGreaterThanOrEqual(190);
    expect((probe.closedAt as number) - sentAt).toBeLessThan(400);
  });

  it("leaves connections its toxicity spared alone", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "reset_peer", toxicity: 0, attributes: { timeout: 0 } });
    const socket = await connect(port);
    expect(await roundTrip(socket, "safe")).toBeLessThan(100);
    socket.destroy();
  });
});
