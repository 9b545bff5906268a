import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { escapeLabelValue } from "./prometheus-text.ts";
import type { Harness } from "./testing/harness.ts";
import { connect, portOf, Probe, sleep, startHarness } from "./testing/harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const start = async (options: { proxyMetrics?: boolean; runtimeMetrics?: boolean }): Promise<Harness> => {
  h = await startHarness(1, undefined, options);
  return h;
};

type Bytes = "received" | "sent";
type Direction = "upstream" | "downstream";

/** The value of one byte counter in a /metrics body (undefined if the series is absent). */
function counter(
  text: string,
  kind: Bytes,
  direction: Direction,
  proxy: string,
  listener: string,
  upstream: string,
) {
  const labels = [
    `direction="${direction}"`,
    `listener="${escapeLabelValue(listener)}"`,
    `proxy="${escapeLabelValue(proxy)}"`,
    `upstream="${escapeLabelValue(upstream)}"`,
  ].join(",");
  const prefix = `toxiproxy_proxy_${kind}_bytes_total{${labels}} `;
  const line = text.split("\n").find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

async function metricsText(harness: Harness): Promise<string> {
  const res = await harness.api("GET", "/metrics");
  expect(res.status).toBe(200);
  return res.text();
}

/** Polls /metrics until `ok` holds for its body (the counters settle as the last writes happen). */
async function settle(harness: Harness, ok: (text: string) => boolean, ms = 3000): Promise<string> {
  const deadline = performance.now() + ms;
  for (;;) {
    const text = await metricsText(harness);
    if (ok(text) || performance.now() > deadline) return text;
    await sleep(10);
  }
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function proxyInfo(harness: Harness, name: string): Promise<{ listen: string; upstream: string }> {
  const res = await harness.api("GET", `/proxies/${encodeURIComponent(name)}`);
  return (await res.json()) as { listen: string; upstream: string };
}

describe("GET /metrics", () => {
  it("is a 404 without -proxy-metrics and -runtime-metrics", async () => {
    const harness = await start({});
    const res = await harness.api("GET", "/metrics");
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("404 page not found\n");
  });

  it("counts the bytes each way with -proxy-metrics, as totals that outlive connections", async () => {
    const harness = await start({ proxyMetrics: true });
    const port = await harness.proxy("zk1");
    const { listen, upstream } = await proxyInfo(harness, "zk1");
    const N = 200_000;
    const probe = new Probe(await connect(port));
    probe.socket.write(Buffer.alloc(N, 0x61));
    await probe.waitBytes(N);

    const all = (text: string): Array<number | undefined> =>
      (["upstream", "downstream"] as const).flatMap((d) =>
        (["received", "sent"] as const).map((k) => counter(text, k, d, "zk1", listen, upstream)),
      );
    let text = await settle(harness, (t) => all(t).every((v) => v === N));
    expect(all(text)).toEqual([N, N, N, N]);

    const res = await harness.api("GET", "/metrics");
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const body = await res.text();
    for (const name of ["toxiproxy_proxy_received_bytes_total", "toxiproxy_proxy_sent_bytes_total"]) {
      expect(body).toContain(`# HELP ${name} `);
      expect(body).toContain(`# TYPE ${name} counter\n`);
    }
    expect(body).not.toContain("process_cpu_seconds_total");

    // Closing keeps the totals; a second connection adds to the same series.
    probe.socket.destroy();
    await probe.closed;
    const again = new Probe(await connect(port));
    again.socket.write("hello");
    await again.waitBytes(5);
    text = await settle(harness, (t) => all(t).every((v) => v === N + 5));
    expect(all(text)).toEqual([N + 5, N + 5, N + 5, N + 5]);
    again.socket.destroy();
  });

  it("has no series before a connection is made, nor for one whose upstream dial failed", async () => {
    const harness = await start({ proxyMetrics: true });
    expect(await metricsText(harness)).toBe("");
    const res = await harness.api("POST", "/proxies", {
      name: "dead",
      listen: "127.0.0.1:0",
      upstream: `127.0.0.1:${await closedPort()}`,
    });
    const { listen } = (await res.json()) as { listen: string };
    const probe = new Probe(await connect(portOf(listen)));
    await probe.closed; // accepted, then closed when the dial is refused
    expect(await metricsText(harness)).toBe("");
  });

  it("counts sent after the toxics: limit_data upstream makes sent < received", async () => {
    const harness = await start({ proxyMetrics: true });
    const port = await harness.proxy("lim");
    const { listen, upstream } = await proxyInfo(harness, "lim");
    const L = 1000;
    const N = 100_000;
    const toxic = await harness.api("POST", "/proxies/lim/toxics", {
      type: "limit_data",
      stream: "upstream",
      attributes: { bytes: L },
    });
    expect(toxic.status).toBe(200);
    const probe = new Probe(await connect(port));
    probe.socket.write(Buffer.alloc(N, 0x62));
    await probe.closed; // limit_data closes the connection after L bytes

    const sent = (t: string): number | undefined => counter(t, "sent", "upstream", "lim", listen, upstream);
    const text = await settle(harness, (t) => sent(t) === L);
    expect(sent(text)).toBe(L);
    expect(counter(text, "received", "upstream", "lim", listen, upstream)).toBeGreaterThanOrEqual(L);
  });

  it("escapes label values: a proxy name with a quote, a backslash and a newline", async () => {
    const harness = await start({ proxyMetrics: true });
    const name = 'we"ird\\na\nme';
    const port = await harness.proxy(name);
    const { listen, upstream } = await proxyInfo(harness, name);
    const probe = new Probe(await connect(port));
    probe.socket.write("ping");
    await probe.waitBytes(4);
    const text = await settle(harness, (t) => counter(t, "sent", "downstream", name, listen, upstream) === 4);
    expect(text).toContain(`proxy="we\\"ird\\\\na\\nme"`);
    expect(counter(text, "sent", "downstream", name, listen, upstream)).toBe(4);
    // Every sample stays on one line: a raw newline would have split it.
    for (const line of text.split("\n").filter((l) => l !== "" && !l.startsWith("#"))) {
      expect(line).toMatch(/^[a-z_]+(\{.*\})? \d+(\.\d+)?(e[+-]?\d+)?$/);
    }
    probe.socket.destroy();
  });

  it("serves process and Node metrics with -runtime-metrics only, and no proxy counters", async () => {
    const harness = await start({ runtimeMetrics: true });
    const port = await harness.proxy("rt");
    const probe = new Probe(await connect(port));
    probe.socket.write("x");
    await probe.waitBytes(1);
    const text = await metricsText(harness);
    for (const [name, type] of [
      ["process_cpu_seconds_total", "counter"],
      ["process_resident_memory_bytes", "gauge"],
      ["process_start_time_seconds", "gauge"],
      ["nodejs_heap_size_used_bytes", "gauge"],
      ["nodejs_heap_size_total_bytes", "gauge"],
      ["nodejs_version_info", "gauge"],
    ] as const) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toContain(`# TYPE ${name} ${type}\n`);
    }
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);
    expect(text).toContain(`nodejs_version_info{version="${process.version}",`);
    const startedAt = Number(/^process_start_time_seconds (\S+)$/m.exec(text)?.[1]);
    expect(Math.abs(startedAt - (Date.now() / 1000 - process.uptime()))).toBeLessThan(5);
    if (process.platform === "linux") expect(text).toMatch(/^process_open_fds [1-9]\d*$/m);
    expect(text).not.toContain("toxiproxy_proxy_");
    probe.socket.destroy();
  });

  it("answers 405 to other methods, as for every known route", async () => {
    const harness = await start({ proxyMetrics: true, runtimeMetrics: true });
    for (const method of ["POST", "PUT", "DELETE"]) {
      expect((await harness.api(method, "/metrics")).status, method).toBe(405);
    }
    const text = await metricsText(harness);
    expect(text).toContain("process_cpu_seconds_total");
  });
});
