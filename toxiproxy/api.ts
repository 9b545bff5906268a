/**
 * The HTTP API, route for route as toxiproxy 2.12 serves it (api.go): status codes, JSON shapes and error
 * bodies included. Mutations run one at a time, in arrival order; none of them waits on traffic.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiError } from "./errors.ts";
import { badRequestBody, toApiError } from "./errors.ts";
import type { JsonObject } from "./json-input.ts";
import { asObject, jsonKind, optBool, optString, parseJson } from "./json-input.ts";
import type { ProxyLogger } from "./logger.ts";
import type { ProxyChanges } from "./proxy.ts";
import type { ProxyCollection, ProxyInput } from "./proxy-collection.ts";
import { PopulateError } from "./proxy-collection.ts";
import { PROMETHEUS_CONTENT_TYPE } from "./prometheus-text.ts";
import { toxicJson } from "./toxic-collection.ts";

export interface ApiOptions {
  version: string;
  log: ProxyLogger;
  /** The GET /metrics body; without it /metrics is not a route (404), as without toxiproxy's metric flags. */
  metrics?: (() => string) | undefined;
}

interface Reply {
  status: number;
  body?: string;
  contentType?: string;
  nosniff?: boolean;
}

interface Params {
  proxy: string;
  toxic: string;
  /** The request body parsed as JSON (a 400 ApiError if it is not). */
  body(): unknown;
}

type Handler = (params: Params) => Reply | Promise<Reply>;

const json = (status: number, value: unknown): Reply => ({
  status,
  body: JSON.stringify(value),
  contentType: "application/json",
});
const empty = (status: number): Reply => ({ status });
const errorReply = (err: ApiError): Reply => ({
  status: err.status,
  body: JSON.stringify({ error: err.message, status: err.status }) + "\n",
  contentType: "text/plain; charset=utf-8",
  nosniff: true,
});

export function createApiHandler(
  proxies: ProxyCollection,
  options: ApiOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => T | Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };

  const routes: Array<{ path: string[]; methods: Record<string, Handler> }> = [
    { path: ["reset"], methods: { POST: () => serial(() => proxies.reset()).then(() => empty(204)) } },
    {
      path: ["proxies"],
      methods: {
        GET: () => json(200, proxies.toJSON()),
        POST: ({ body }) => {
          const input = proxyInput(asObject(body(), "main.Proxy"));
          return serial(() => proxies.add(input)).then((proxy) => json(201, proxy));
        },
      },
    },
    { path: ["populate"], methods: { POST: ({ body }) => populate(body) } },
    {
      path: ["version"],
      methods: {
        GET: () => ({
          status: 200,
          body: `{"version": ${JSON.stringify(options.version)}}\n`,
          contentType: "application/json;charset=utf-8",
        }),
      },
    },
    {
      path: ["proxies", "{proxy}"],
      methods: {
        GET: ({ proxy }) => json(200, proxies.get(proxy)),
        POST: updateProxy,
        PATCH: updateProxy,
        DELETE: ({ proxy }) => serial(() => proxies.remove(proxy)).then(() => empty(204)),
      },
    },
    {
      path: ["proxies", "{proxy}", "toxics"],
      methods: {
        GET: ({ proxy }) => json(200, proxies.get(proxy).toxics.list().map(toxicJson)),
        POST: ({ proxy, body }) =>
          serial(() => {
            const toxics = proxies.get(proxy).toxics;
            return json(200, toxicJson(toxics.add(body())));
          }),
      },
    },
    {
      path: ["proxies", "{proxy}", "toxics", "{toxic}"],
      methods: {
        GET: ({ proxy, toxic }) => json(200, toxicJson(proxies.get(proxy).toxics.get(toxic))),
        POST: updateToxic,
        PATCH: updateToxic,
        DELETE: ({ proxy, toxic }) =>
          serial(() => proxies.get(proxy).toxics.remove(toxic)).then(() => empty(204)),
      },
    },
  ];
  const { metrics } = options;
  if (metrics) {
    routes.push({
      path: ["metrics"],
      methods: { GET: () => ({ status: 200, body: metrics(), contentType: PROMETHEUS_CONTENT_TYPE }) },
    });
  }

  function updateProxy({ proxy, body }: Params): Promise<Reply> {
    return serial(async () => {
      const target = proxies.get(proxy);
      await target.update(proxyChanges(asObject(body(), "main.Proxy")));
      return json(200, target);
    });
  }

  function updateToxic({ proxy, toxic, body }: Params): Promise<Reply> {
    return serial(() => {
      const toxics = proxies.get(proxy).toxics;
      toxics.get(toxic);
      return json(200, toxicJson(toxics.update(toxic, body())));
    });
  }

  async function populate(body: () => unknown): Promise<Reply> {
    try {
      const raw = body();
      if (!Array.isArray(raw)) {
        throw badRequestBody(`json: cannot unmarshal ${jsonKind(raw)} into Go value of type []proxy.Proxy`);
      }
      const inputs = raw.map((entry) => proxyInput(asObject(entry, "main.Proxy")));
      const created = await serial(() => proxies.populate(inputs));
      return json(201, { proxies: created });
    } catch (err) {
      const apiErr = toApiError(err);
      const done = err instanceof PopulateError ? err.proxies : [];
      return json(apiErr.status, { error: apiErr.message, status: apiErr.status, proxies: done });
    }
  }

  function route(
    method: string,
    pathname: string,
  ): { handler?: Handler; known: boolean; proxy: string; toxic: string } {
    const segments = pathname.split("/").slice(1);
    for (const r of routes) {
      if (r.path.length !== segments.length) continue;
      let proxy = "";
      let toxic = "";
      const matches = r.path.every((part, i) => {
        const seg = segments[i] as string;
        if (part === "{proxy}") proxy = seg;
        else if (part === "{toxic}") toxic = seg;
        else return seg === part;
        return seg !== "";
      });
      if (matches) return { handler: r.methods[method], known: true, proxy, toxic };
    }
    return { known: false, proxy: "", toxic: "" };
  }

  async function handle(req: IncomingMessage, text: string): Promise<Reply> {
    if ((req.headers["user-agent"] ?? "").startsWith("Mozilla/")) {
      return {
        status: 403,
        body: "User agent not allowed\n",
        contentType: "text/plain; charset=utf-8",
        nosniff: true,
      };
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://api").pathname);
    } catch {
      return { status: 400, body: "400 Bad Request\n", contentType: "text/plain; charset=utf-8" };
    }
    const { handler, known, proxy, toxic } = route(req.method ?? "GET", pathname);
    if (!known)
      return {
        status: 404,
        body: "404 page not found\n",
        contentType: "text/plain; charset=utf-8",
        nosniff: true,
      };
    if (!handler) return empty(405);
    try {
      return await handler({ proxy, toxic, body: () => parseJson(text) });
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.status >= 500) options.log.warn({ err: apiErr.message }, "API error");
      return errorReply(apiErr);
    }
  }

  return (req, res) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => res.destroy());
    req.on("end", () => {
      void handle(req, Buffer.concat(chunks).toString("utf8")).then((reply) => {
        const headers: Record<string, string | number> = { "X-Toxiproxy-Request-Id": randomUUID() };
        if (reply.contentType) headers["Content-Type"] = reply.contentType;
        if (reply.nosniff) headers["X-Content-Type-Options"] = "nosniff";
        if (reply.status !== 204) headers["Content-Length"] = Buffer.byteLength(reply.body ?? "");
        res.writeHead(reply.status, headers);
        res.end(reply.body);
        options.log.debug(
          {
            method: req.method,
            path: req.url,
            status: reply.status,
            ms: +(performance.now() - started).toFixed(2),
          },
          "api request",
        );
      });
    });
  };
}

function proxyInput(obj: JsonObject): ProxyInput {
  return {
    name: optString(obj, "name", "Proxy.name"),
    listen: optString(obj, "listen", "Proxy.listen"),
    upstream: optString(obj, "upstream", "Proxy.upstream"),
    enabled: optBool(obj, "enabled", "Proxy.enabled"),
  };
}

function proxyChanges(obj: JsonObject): ProxyChanges {
  const { listen, upstream, enabled } = proxyInput(obj);
  return { listen, upstream, enabled };
}
