/**
 * A static file server for a results folder (`zk-chaos serve`): GET/HEAD of files under the root only —
 * every path segment is decoded on its own, "..", encoded slashes and NUL are refused, and the resolved
 * path (symlinks followed) must stay inside the root. Folders serve index.html, else report.html, else a
 * listing. Binds 127.0.0.1 unless told otherwise.
 */
import { createReadStream, readdirSync, realpathSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, sep } from "node:path";
import { htmlDocument } from "./document.ts";
import { html } from "./html.ts";

export interface ServeOptions {
  readonly root: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
}

export interface Served {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".jsonl": "text/plain; charset=utf-8",
  ".log": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".edn": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".xml": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * The file a request path names under `root` (a real path), or null when it would leave the root or is
 * malformed. Does not check that the file exists.
 */
export function resolveUnder(root: string, pathname: string): string | null {
  if (!pathname.startsWith("/")) return null;
  const segments: string[] = [];
  for (const raw of pathname.split("/")) {
    if (raw === "") continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (seg === "." || seg === ".." || seg.includes("/") || seg.includes("\\") || seg.includes("\0"))
      return null;
    segments.push(seg);
  }
  return join(root, ...segments);
}

/** True when `p`, with symlinks resolved, is `root` or inside it. */
function inside(root: string, p: string): string | null {
  let real: string;
  try {
    real = realpathSync(p);
  } catch {
    return null;
  }
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep) ? real : null;
}

function send(res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8"): void {
  res.writeHead(status, {
    "content-type": type,
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
  });
  res.end(body);
}

function listing(dir: string, pathname: string): string {
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith("."))
    .sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
  const items = entries.map((e) => {
    const name = e.isDirectory() || e.isSymbolicLink() ? `${e.name}/` : e.name;
    return html`<li>
      <a href="${encodeURIComponent(e.name)}${e.isDirectory() || e.isSymbolicLink() ? "/" : ""}">${name}</a>
    </li>`;
  });
  return htmlDocument({
    title: pathname,
    body: html`<main>
      <h2>${pathname}</h2>
      <ul>
        ${pathname !== "/" ? html`<li><a href="../">../</a></li>` : ""}${items}
      </ul>
    </main>`,
  });
}

function handle(root: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return send(res, 405, "method not allowed\n");
  }
  const rawPath = (req.url ?? "/").split(/[?#]/)[0]!;
  const candidate = resolveUnder(root, rawPath);
  if (candidate === null) return send(res, 400, "bad path\n");
  const real = inside(root, candidate);
  if (real === null) return send(res, 404, "not found\n");
  let st = statSync(real);
  let file = real;
  if (st.isDirectory()) {
    if (!rawPath.endsWith("/")) {
      res.writeHead(301, { location: `${rawPath}/` });
      return void res.end();
    }
    const page = ["index.html", "report.html"]
      .map((n) => inside(root, join(real, n)))
      .find((p) => p !== null && statSync(p).isFile());
    if (!page) return send(res, 200, req.method === "HEAD" ? "" : listing(real, rawPath), TYPES[".html"]);
    file = page;
    st = statSync(file);
  }
  if (!st.isFile()) return send(res, 404, "not found\n");
  res.writeHead(200, {
    "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "content-length": st.size,
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
  });
  if (req.method === "HEAD") return void res.end();
  createReadStream(file)
    .on("error", () => res.destroy())
    .pipe(res);
}

/** Start serving `root`. */
export async function serveResults(opts: ServeOptions): Promise<Served> {
  const root = realpathSync(opts.root);
  const server = createServer((req, res) => {
    try {
      handle(root, req, res);
    } catch {
      if (!res.headersSent) send(res, 500, "error\n");
      else res.destroy();
    }
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 8080, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
