import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveUnder, serveResults, type Served } from "./serve.ts";

/** A raw GET: the path goes on the wire as written (fetch would normalise "..").*/
function get(
  url: string,
  path: string,
  method = "GET",
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("serve", () => {
  const base = mkdtempSync(join(tmpdir(), "zk-chaos-serve-test-"));
  const root = join(base, "results");
  let served: Served;

  beforeAll(async () => {
    mkdirSync(join(root, "lock-naive", "20250101T010000Z", "nodes"), { recursive: true });
    writeFileSync(join(root, "index.html"), "<!doctype html>index");
    writeFileSync(join(root, "lock-naive", "20250101T010000Z", "report.html"), "<!doctype html>report");
    writeFileSync(join(root, "lock-naive", "20250101T010000Z", "history.jsonl"), '{"index":0}\n');
    writeFileSync(join(root, "lock-naive", "20250101T010000Z", "nodes", "zk1.log"), "zk1 log");
    writeFileSync(join(base, "secret.txt"), "secret");
    symlinkSync(join(root, "lock-naive", "20250101T010000Z"), join(root, "latest"));
    symlinkSync(join(base, "secret.txt"), join(root, "escape.txt"));
    symlinkSync(base, join(root, "escape-dir"));
    served = await serveResults({ root, port: 0 });
  });
  afterAll(async () => served.close());

  it("binds 127.0.0.1 by default and serves the index, reports, logs and histories", async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((served.server.address() as { address: string }).address).toBe("127.0.0.1");
    expect(await get(served.url, "/")).toMatchObject({ status: 200, body: "<!doctype html>index" });
    const run = await get(served.url, "/latest/");
    expect(run).toMatchObject({ status: 200, body: "<!doctype html>report" });
    expect(run.headers["content-type"]).toBe("text/html; charset=utf-8");
    const log = await get(served.url, "/lock-naive/20250101T010000Z/nodes/zk1.log");
    expect(log).toMatchObject({ status: 200, body: "zk1 log" });
    expect(log.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(log.headers["x-content-type-options"]).toBe("nosniff");
    expect((await get(served.url, "/lock-naive/20250101T010000Z/history.jsonl")).body).toBe('{"index":0}\n');
  });

  it("redirects a folder without its slash, lists a folder without a page", async () => {
    const r = await get(served.url, "/lock-naive");
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe("/lock-naive/");
    const list = await get(served.url, "/lock-naive/");
    expect(list.status).toBe(200);
    expect(list.body).toContain('href="20250101T010000Z/"');
  });

  it.each([
    "/../secret.txt",
    "/..%2fsecret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/lock-naive/../../secret.txt",
    "/lock-naive/%2e%2e/%2e%2e/secret.txt",
    "/..%5csecret.txt",
    "/%00",
    "/%E0%A4%A",
    "/escape.txt",
    "/escape-dir/secret.txt",
    "//etc/passwd",
    "/etc/passwd",
  ])("never serves anything outside the root: %s", async (path) => {
    const r = await get(served.url, path);
    expect([400, 404]).toContain(r.status);
    expect(r.body).not.toContain("secret");
  });

  it("answers only GET and HEAD", async () => {
    expect((await get(served.url, "/", "POST")).status).toBe(405);
    const head = await get(served.url, "/lock-naive/20250101T010000Z/nodes/zk1.log", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("resolveUnder refuses dot segments, encoded separators and NUL", () => {
    expect(resolveUnder("/r", "/a/b.txt")).toBe("/r/a/b.txt");
    expect(resolveUnder("/r", "/a%20b")).toBe("/r/a b");
    for (const bad of ["/..", "/a/../b", "/%2e%2e", "/a%2fb", "/a%5cb", "/a%00", "/%zz", "relative"])
      expect(resolveUnder("/r", bad)).toBeNull();
  });
});
