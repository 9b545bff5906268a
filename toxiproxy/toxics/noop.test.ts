import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness } from "../testing/harness.ts";
import { connect, Probe, startHarness } from "../testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("noop toxic", () => {
  it("passes 4 MiB unchanged through a toxic stage each way", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "noop" });
    await h.api("POST", "/proxies/p/toxics", { type: "noop", stream: "upstream" });
    const probe = new Probe(await connect(port));
    const payload = randomBytes(4 << 20);
    probe.socket.write(payload);
    await probe.waitBytes(payload.length, 5000);
    expect(Buffer.concat(probe.chunks).equals(payload)).toBe(true);
    probe.socket.destroy();
  });
});
