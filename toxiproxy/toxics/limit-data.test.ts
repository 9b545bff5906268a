import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness } from "../testing/harness.ts";
import { connect, Probe, sleep, startHarness, until } from "../testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("limit_data toxic", () => {
  it("passes exactly N bytes, then closes the connection", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "limit_data", attributes: { bytes: 10 } });
    const probe = new Probe(await connect(port));
    probe.socket.write("abcdefgh");
    await sleep(50);
    probe.socket.write("ijklmnopqrstuvwxyz");
    await probe.closed;
    expect(probe.text()).toBe("abcdefghij");
    expect(probe.endedAt).toBeDefined();
  });

  it("counts per connection and direction", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", {
      type: "limit_data",
      stream: "upstream",
      attributes: { bytes: 5 },
    });
    const received: string[] = [];
    const serverSide = async (i: number): Promise<void> => {
      await until(() => h.echo.sockets.length > i);
      h.echo.sockets[i]?.on("data", (d: Buffer) => (received[i] = (received[i] ?? "") + d.toString()));
    };
    const first = new Probe(await connect(port));
    await serverSide(0);
    first.socket.write("12345678");
    await first.closed;
    expect(received[0]).toBe("12345");

    const second = new Probe(await connect(port));
    await serverSide(1);
    second.socket.write("abc");
    await second.waitBytes(3);
    second.socket.write("defg");
    await second.closed;
    expect(received[1]).toBe("abcde");
  });
});
