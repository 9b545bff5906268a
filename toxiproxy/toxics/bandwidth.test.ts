import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness } from "../testing/harness.ts";
import { connect, Probe, sleep, startHarness } from "../testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("bandwidth toxic", () => {
  it("holds its rate (±15%)", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "bandwidth", attributes: { rate: 200 } });
    const socket = await connect(port);
    const probe = new Probe(socket);
    const payload = Buffer.alloc(120_000, 7);
    socket.write(payload);
    const elapsed = await probe.waitBytes(payload.length, 3000);
    const rate = payload.length / elapsed; // bytes per ms = KB/s
    expect(rate).toBeGreaterThanOrEqual(200 * 0.85);
    expect(rate).toBeLessThanOrEqual(200 * 1.15);
    expect(Buffer.concat(probe.chunks).equals(payload)).toBe(true);
    socket.destroy();
  });

  it("limits only its direction", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", {
      type: "bandwidth",
      stream: "upstream",
      attributes: { rate: 100 },
    });
    const socket = await connect(port);
    const probe = new Probe(socket);
    socket.write(Buffer.alloc(30_000, 1));
    const elapsed = await probe.waitBytes(30_000);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThanOrEqual(400);
    socket.destroy();
  });

  it("stalls at rate 0 until removed, losing nothing", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "bandwidth", attributes: { rate: 0 } });
    const socket = await connect(port);
    const probe = new Probe(socket);
    socket.write("stalled");
    await sleep(200);
    expect(probe.bytes).toBe(0);
    await h.api("DELETE", "/proxies/p/toxics/bandwidth_downstream");
    await probe.waitBytes(7, 500);
    expect(probe.text()).toBe("stalled");
    socket.destroy();
  });
});
