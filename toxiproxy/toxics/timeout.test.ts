import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness } from "../testing/harness.ts";
import { connect, echoServer, Probe, sleep, startHarness, until } from "../testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("timeout toxic", () => {
  it("timeout 0 blackholes until removed, and removal closes the connection", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "timeout", attributes: { timeout: 0 } });
    const socket = await connect(port);
    const probe = new Probe(socket);
    socket.write("into the void");
    await sleep(300);
    expect(probe.bytes).toBe(0);
    expect(probe.closedAt).toBeUndefined();
    const removedAt = performance.now() - probe.started;
    expect((await h.api("DELETE", "/proxies/p/toxics/timeout_downstream")).status).toBe(204);
    await probe.closed;
    expect((probe.closedAt as number) - removedAt).toBeLessThan(200);
    expect(probe.bytes).toBe(0);

    const fresh = new Probe(await connect(port));
    fresh.socket.write("healed");
    await fresh.waitBytes(6);
    fresh.socket.destroy();
  });

  it("timeout N closes the connection after about N ms", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "timeout", attributes: { timeout: 250 } });
    const probe = new Probe(await connect(port));
    probe.socket.write("dropped");
    await probe.closed;
    expect(probe.closedAt).toBeGreaterThanOrEqual(230);
    expect(probe.closedAt).toBeLessThan(450);
    expect(probe.bytes).toBe(0);
  });

  it("blackholes one direction only when set on one stream", async () => {
    const greeter = await echoServer((s) => {
      const timer = setInterval(() => s.write("hi;"), 20);
      s.on("close", () => clearInterval(timer));
    });
    const port = await h.proxy("one-way", { upstream: `127.0.0.1:${greeter.port}` });
    await h.api("POST", "/proxies/one-way/toxics", {
      type: "timeout",
      stream: "upstream",
      attributes: { timeout: 0 },
    });
    const probe = new Probe(await connect(port));
    probe.socket.write("request");
    await probe.waitBytes(9);
    await until(() => greeter.sockets.length === 1);
    let received = 0;
    greeter.sockets[0]?.on("data", (d: Buffer) => (received += d.length));
    probe.socket.write("more");
    await sleep(100);
    expect(received).toBe(0);
    probe.socket.destroy();
    await greeter.close();
  });
});
