import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness } from "../testing/harness.ts";
import { connect, Probe, roundTrip, sleep, startHarness } from "../testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

describe("latency toxic", () => {
  it("adds the set delay to each round trip (±10%)", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "latency", attributes: { latency: 100 } });
    const socket = await connect(port);
    const rtts = [];
    for (let i = 0; i < 3; i++) rtts.push(await roundTrip(socket, `ping ${i}`));
    expect(median(rtts)).toBeGreaterThanOrEqual(90);
    expect(median(rtts)).toBeLessThanOrEqual(110);
    socket.destroy();
  });

  it("adds up across directions and applies to connections already open", async () => {
    const port = await h.proxy("p");
    const socket = await connect(port);
    expect(await roundTrip(socket, "warm")).toBeLessThan(20);
    await h.api("POST", "/proxies/p/toxics", {
      type: "latency",
      stream: "upstream",
      attributes: { latency: 40 },
    });
    await h.api("POST", "/proxies/p/toxics", { type: "latency", attributes: { latency: 40 } });
    const rtt = await roundTrip(socket, "both");
    expect(rtt).toBeGreaterThanOrEqual(72);
    expect(rtt).toBeLessThanOrEqual(100);
    socket.destroy();
  });

  it("keeps order and pipelines: many chunks take one delay, not one each", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "latency", attributes: { latency: 100 } });
    const socket = await connect(port);
    const probe = new Probe(socket);
    for (let i = 0; i < 20; i++) {
      socket.write(`${String(i).padStart(2, "0")};`);
      await sleep(2);
    }
    const done = await probe.waitBytes(60);
    expect(probe.text()).toBe(
      Array.from({ length: 20 }, (_, i) => `${String(i).padStart(2, "0")};`).join(""),
    );
    expect(done).toBeLessThan(300);
    socket.destroy();
  });

  it("keeps jitter within latency ± jitter", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "latency", attributes: { latency: 60, jitter: 30 } });
    const socket = await connect(port);
    const rtts = [];
    for (let i = 0; i < 8; i++) rtts.push(await roundTrip(socket, "j"));
    for (const rtt of rtts) {
      expect(rtt).toBeGreaterThanOrEqual(29);
      expect(rtt).toBeLessThanOrEqual(100);
    }
    expect(new Set(rtts.map((r) => Math.round(r / 5))).size).toBeGreaterThan(1);
    socket.destroy();
  });

  it("applies an update to data still waiting, and releases it at once on removal", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "latency", attributes: { latency: 2000 } });
    const socket = await connect(port);
    const probe = new Probe(socket);
    socket.write("a");
    await sleep(50);
    await h.api("POST", "/proxies/p/toxics/latency_downstream", { attributes: { latency: 150 } });
    const first = await probe.waitBytes(1);
    expect(first).toBeGreaterThanOrEqual(140);
    expect(first).toBeLessThan(400);

    await h.api("POST", "/proxies/p/toxics/latency_downstream", { attributes: { latency: 5000 } });
    socket.write("b");
    await sleep(50);
    const t0 = performance.now() - probe.started;
    const res = await h.api("DELETE", "/proxies/p/toxics/latency_downstream");
    expect(res.status).toBe(204);
    const second = await probe.waitBytes(2);
    expect(second - t0).toBeLessThan(100);
    expect(probe.text()).toBe("ab");
    socket.destroy();
  });
});
