import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Latency } from "toxiproxy-node-client";
import { Toxiproxy, ToxiproxyError } from "toxiproxy-node-client";
import type { Harness } from "./testing/harness.ts";
import { connect, portOf, roundTrip, startHarness } from "./testing/harness.ts";
import { toxicTypes } from "./toxics/registry.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const upstream = (): string => `127.0.0.1:${h.echo.port}`;

describe("API through toxiproxy-node-client", () => {
  it("creates, lists, gets, updates and removes proxies", async () => {
    const created = await h.client.createProxy({ name: "zk1", listen: "127.0.0.1:0", upstream: upstream() });
    expect(created.name).toBe("zk1");
    expect(created.enabled).toBe(true);
    expect(created.upstream).toBe(upstream());
    expect(created.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(portOf(created.listen)).toBeGreaterThan(0);

    const socket = await connect(portOf(created.listen));
    expect(await roundTrip(socket, "ping")).toBeGreaterThan(0);
    socket.destroy();

    const all = await h.client.getAll();
    expect(Object.keys(all)).toEqual(["zk1"]);
    expect(all.zk1?.listen).toBe(created.listen);

    const got = await h.client.get("zk1");
    expect(got.toJson()).toEqual({
      name: "zk1",
      listen: created.listen,
      upstream: upstream(),
      enabled: true,
    });

    const disabled = await got.update({ enabled: false, listen: got.listen, upstream: got.upstream });
    expect(disabled.enabled).toBe(false);
    expect(disabled.listen).toBe(created.listen);
    const enabled = await got.update({ enabled: true, listen: got.listen, upstream: got.upstream });
    expect(enabled.enabled).toBe(true);
    expect(enabled.listen).toBe(created.listen); // re-binds the stored address

    await got.remove();
    expect(await h.client.getAll()).toEqual({});
    await expect(h.client.get("zk1")).rejects.toBeInstanceOf(ToxiproxyError);
  });

  it("populates, keeping identical proxies and replacing changed ones", async () => {
    const first = await h.client.populate([
      { name: "a", listen: "127.0.0.1:0", upstream: upstream() },
      { name: "b", listen: "127.0.0.1:0", upstream: upstream(), enabled: false },
    ]);
    expect(Object.keys(first).sort()).toEqual(["a", "b"]);
    expect(first.a?.enabled).toBe(true);
    expect(first.b?.enabled).toBe(false);

    const a = await h.client.get("a");
    await a.addToxic<Latency>({
      name: "lag",
      type: "latency",
      stream: "downstream",
      toxicity: 1,
      attributes: { latency: 5, jitter: 0 },
    });
    // Same listen and upstream: untouched (toxics kept); a different upstream replaces the proxy.
    const again = await h.client.populate([
      { name: "a", listen: a.listen, upstream: upstream() },
      { name: "b", listen: "127.0.0.1:0", upstream: "127.0.0.1:1" },
    ]);
    expect(again.a?.listen).toBe(a.listen);
    expect((await h.api("GET", "/proxies/a/toxics").then((r) => r.json())) as unknown[]).toHaveLength(1);
    expect(again.b?.upstream).toBe("127.0.0.1:1");
    expect(again.b?.enabled).toBe(true);
  });

  it("adds, gets, updates and removes every toxic type", async () => {
    const proxy = await h.client.createProxy({ name: "p", listen: "127.0.0.1:0", upstream: upstream() });
    const attributes: Record<string, Record<string, number>> = {
      noop: {},
      latency: { latency: 100, jitter: 10 },
      bandwidth: { rate: 1000 },
      slow_close: { delay: 100 },
      timeout: { timeout: 1000 },
      reset_peer: { timeout: 1000 },
      slicer: { average_size: 64, size_variation: 8, delay: 10 },
      limit_data: { bytes: 1024 },
    };
    expect(toxicTypes().sort()).toEqual(Object.keys(attributes).sort());
    for (const [type, attrs] of Object.entries(attributes)) {
      const toxic = await proxy.addToxic<Record<string, number>>({
        name: `${type}_up`,
        type: type as "latency",
        stream: "upstream",
        toxicity: 0.5,
        attributes: attrs,
      });
      expect(toxic.toJson()).toEqual({
        name: `${type}_up`,
        type,
        stream: "upstream",
        toxicity: 0.5,
        attributes: attrs,
      });
      const fetched = await proxy.getToxic<Record<string, number>>(`${type}_up`);
      expect(fetched.toJson()).toEqual(toxic.toJson());
      const bumped = Object.fromEntries(Object.keys(attrs).map((k) => [k, (attrs[k] ?? 0) + 1]));
      const updated = await fetched.update({ ...fetched.toJson(), toxicity: 1, attributes: bumped });
      expect(updated.toxicity).toBe(1);
      expect(updated.attributes).toEqual(bumped);
    }
    const listed = (await h.api("GET", "/proxies/p").then((r) => r.json())) as {
      toxics: Array<{ name: string }>;
    };
    expect(listed.toxics.map((t) => t.name)).toEqual(Object.keys(attributes).map((t) => `${t}_up`));
    for (const type of Object.keys(attributes)) await (await proxy.getToxic(`${type}_up`)).remove();
    expect((await h.api("GET", "/proxies/p/toxics").then((r) => r.json())) as unknown[]).toEqual([]);
  });

  it("resets: re-enables proxies and removes toxics, keeping the proxies", async () => {
    const proxy = await h.client.createProxy({ name: "p", listen: "127.0.0.1:0", upstream: upstream() });
    await proxy.addToxic({
      name: "t",
      type: "timeout",
      stream: "upstream",
      toxicity: 1,
      attributes: { timeout: 0 },
    });
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await h.client.reset();
    const after = await h.api("GET", "/proxies/p").then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(after).toMatchObject({ enabled: true, listen: proxy.listen, toxics: [] });
  });

  it("reports a version", async () => {
    expect(JSON.parse(await h.client.getVersion())).toEqual({ version: expect.any(String) });
  });

  it("surfaces errors as ToxiproxyError", async () => {
    await h.client.createProxy({ name: "p", listen: "127.0.0.1:0", upstream: upstream() });
    await expect(
      h.client.createProxy({ name: "p", listen: "127.0.0.1:0", upstream: upstream() }),
    ).rejects.toThrow("Request failed with status code 409");
    await expect(new Toxiproxy("http://127.0.0.1:1").getAll()).rejects.toBeInstanceOf(ToxiproxyError);
  });
});

describe("API status codes and bodies (raw HTTP)", () => {
  const errorBody = async (res: Response): Promise<unknown> => {
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const text = await res.text();
    expect(text.endsWith("\n")).toBe(true);
    return JSON.parse(text);
  };

  it("answers every route with toxiproxy's codes and shapes", async () => {
    let res = await h.api("POST", "/proxies", { name: "p", listen: "localhost:0", upstream: upstream() });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-toxiproxy-request-id")).toBeTruthy();
    const proxy = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(proxy)).toEqual(["name", "listen", "upstream", "enabled", "toxics"]);
    expect(proxy.listen).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);

    res = await h.api("POST", "/proxies/p/toxics", { type: "latency", attributes: { latency: 10 } });
    expect(res.status).toBe(200);
    const toxic = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(toxic)).toEqual(["attributes", "name", "type", "stream", "toxicity"]);
    expect(toxic).toEqual({
      attributes: { latency: 10, jitter: 0 },
      name: "latency_downstream",
      type: "latency",
      stream: "downstream",
      toxicity: 1,
    });

    res = await h.api("POST", "/proxies/p/toxics", { type: "slicer", stream: "UpStream", toxicity: 0 });
    expect(await res.json()).toMatchObject({ name: "slicer_UpStream", stream: "UpStream", toxicity: 0 });

    res = await h.api("PATCH", "/proxies/p/toxics/latency_downstream", { attributes: { jitter: 3 } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ attributes: { latency: 10, jitter: 3 }, toxicity: 1 });

    res = await h.api("GET", "/proxies/p/toxics");
    expect(((await res.json()) as Array<{ name: string }>).map((t) => t.name)).toEqual([
      "slicer_UpStream",
      "latency_downstream",
    ]);

    res = await h.api("PATCH", "/proxies/p", { enabled: false });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: false, listen: proxy.listen, upstream: upstream() });
    res = await h.api("POST", "/proxies/p", { enabled: true });
    expect(await res.json()).toMatchObject({ enabled: true, listen: proxy.listen });

    res = await h.api("DELETE", "/proxies/p/toxics/latency_downstream");
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    res = await h.api("POST", "/reset");
    expect(res.status).toBe(204);
    res = await h.api("DELETE", "/proxies/p");
    expect(res.status).toBe(204);
    expect(await h.api("GET", "/proxies").then((r) => r.json())).toEqual({});

    res = await h.api("GET", "/version");
    expect(res.headers.get("content-type")).toBe("application/json;charset=utf-8");
    expect(await res.text()).toMatch(/^\{"version": ".+"\}\n$/);
  });

  it("rejects bad requests with toxiproxy's messages", async () => {
    const cases: Array<[string, string, unknown, number, string]> = [
      ["POST", "/proxies", { upstream: upstream() }, 400, "missing required field: name"],
      ["POST", "/proxies", { name: "x" }, 400, "missing required field: upstream"],
      ["POST", "/proxies", "", 400, "bad request body: EOF"],
      ["POST", "/proxies", "{nope", 400, "bad request body: "],
      [
        "POST",
        "/proxies",
        { name: 5, upstream: upstream() },
        400,
        "bad request body: json: cannot unmarshal",
      ],
      ["GET", "/proxies/none", undefined, 404, "proxy not found"],
      ["POST", "/proxies/none", {}, 404, "proxy not found"],
      ["DELETE", "/proxies/none", undefined, 404, "proxy not found"],
      ["GET", "/proxies/none/toxics", undefined, 404, "proxy not found"],
      ["POST", "/proxies/none/toxics", { type: "latency" }, 404, "proxy not found"],
      ["GET", "/proxies/p/toxics/none", undefined, 404, "toxic not found"],
      ["PATCH", "/proxies/p/toxics/none", {}, 404, "toxic not found"],
      ["DELETE", "/proxies/p/toxics/none", undefined, 404, "toxic not found"],
      [
        "POST",
        "/proxies/p/toxics",
        { type: "latency", stream: "sideways" },
        400,
        "stream was invalid, can be either upstream or downstream",
      ],
      ["POST", "/proxies/p/toxics", { type: "down" }, 400, "invalid toxic type"],
      ["POST", "/proxies/p/toxics", {}, 400, "invalid toxic type"],
      [
        "POST",
        "/proxies/p/toxics",
        { type: "latency", attributes: { latency: 1.5 } },
        400,
        "bad request body: ",
      ],
      ["POST", "/proxies/p/toxics", { type: "timeout", name: "t" }, 409, "toxic already exists"],
      [
        "POST",
        "/proxies/p/toxics",
        { type: "latency", stream: "upstream", name: "t" },
        409,
        "toxic already exists",
      ],
      ["POST", "/proxies/p/toxics/t", { toxicity: "high" }, 400, "bad request body: "],
    ];
    await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", { type: "timeout", name: "t" });
    for (const [method, path, body, status, message] of cases) {
      const res = await h.api(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      const parsed = (await errorBody(res)) as { error: string; status: number };
      expect(parsed.status).toBe(status);
      expect(parsed.error.startsWith(message), `${parsed.error} vs ${message}`).toBe(true);
    }
    const dup = await h.api("POST", "/proxies", { name: "p", listen: "127.0.0.1:0", upstream: upstream() });
    expect(dup.status).toBe(409);
    expect(await errorBody(dup)).toEqual({ error: "proxy already exists", status: 409 });
  });

  it("reports a port in use as a 500 with Go's listen error", async () => {
    const port = await h.proxy("taken");
    const res = await h.api("POST", "/proxies", {
      name: "p2",
      listen: `127.0.0.1:${port}`,
      upstream: upstream(),
    });
    expect(res.status).toBe(500);
    expect(await errorBody(res)).toEqual({
      error: `listen tcp 127.0.0.1:${port}: bind: address already in use`,
      status: 500,
    });
    expect((await h.api("GET", "/proxies").then((r) => r.json())) as object).not.toHaveProperty("p2");
  });

  it("registers a disabled proxy without listening", async () => {
    const res = await h.api("POST", "/proxies", {
      name: "off",
      listen: "127.0.0.1:0",
      upstream: upstream(),
      enabled: false,
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ enabled: false, listen: "127.0.0.1:0" });
  });

  it("validates /populate entirely before creating, and reports errors with the proxies so far", async () => {
    let res = await h.api("POST", "/populate", [
      { name: "a", upstream: upstream() },
      { upstream: upstream() },
    ]);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({
      error: "missing required field: name at proxy 2",
      status: 400,
      proxies: [],
    });
    expect(await h.api("GET", "/proxies").then((r) => r.json())).toEqual({});

    const port = await h.proxy("busy");
    res = await h.api("POST", "/populate", [
      { name: "a", listen: "127.0.0.1:0", upstream: upstream() },
      { name: "b", listen: `127.0.0.1:${port}`, upstream: upstream() },
    ]);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: string; status: number; proxies: Array<{ name: string }> };
    expect(body.error).toBe(`listen tcp 127.0.0.1:${port}: bind: address already in use`);
    expect(body.proxies.map((p) => p.name)).toEqual(["a"]);

    res = await h.api("POST", "/populate", { name: "x" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 400, proxies: [] });

    res = await h.api("POST", "/populate", [{ name: "c", listen: "127.0.0.1:0", upstream: upstream() }]);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { proxies: unknown[] }).proxies).toHaveLength(1);
  });

  it("answers 404 for unknown paths, 405 for known paths with the wrong method, 403 for browsers", async () => {
    let res = await h.api("GET", "/nope");
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("404 page not found\n");
    expect((await h.api("GET", "/proxies/")).status).toBe(404);
    expect((await h.api("GET", "/metrics")).status).toBe(404);
    for (const [method, path] of [
      ["PUT", "/proxies"],
      ["DELETE", "/proxies"],
      ["GET", "/reset"],
      ["GET", "/populate"],
      ["POST", "/version"],
      ["PUT", "/proxies/p"],
      ["DELETE", "/proxies/p/toxics"],
      ["PUT", "/proxies/p/toxics/t"],
    ] as const) {
      res = await h.api(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
    }
    res = await fetch(`${h.server.url}/proxies`, { headers: { "User-Agent": "Mozilla/5.0" } });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("User agent not allowed\n");
  });

  it("accepts keys case-insensitively and ignores unknown fields, as Go's decoder does", async () => {
    const res = await h.api("POST", "/proxies", {
      Name: "ci",
      LISTEN: "127.0.0.1:0",
      upstream: upstream(),
      extra: [1, 2],
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: "ci", enabled: true });
    const toxic = await h.api("POST", "/proxies/ci/toxics", {
      type: "latency",
      attributes: { latency: 7, bogus: 1.5 },
      toxicity: null,
    });
    expect(await toxic.json()).toMatchObject({ attributes: { latency: 7, jitter: 0 }, toxicity: 1 });
  });
});
