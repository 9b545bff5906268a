/**
 * A Toxiproxy-compatible server: the HTTP API plus the proxies it manages, in this process.
 * Used by `zk-chaos toxiproxy`, by toxiproxy/main.ts (the container's entry point) and by tests.
 */
import http from "node:http";
import { formatAddress } from "./address.ts";
import { createApiHandler } from "./api.ts";
import type { ProxyLogger } from "./logger.ts";
import { jsonLogger } from "./logger.ts";
import { metricsExposition } from "./metrics.ts";
import { ProxyCollection } from "./proxy-collection.ts";
import { ProxyMetrics } from "./proxy-metrics.ts";
import { randomSeed } from "./random.ts";

/** Reported by GET /version: the toxiproxy release whose API this server follows. */
export const VERSION = "2.12.0-zk-chaos";

export interface ToxiproxyOptions {
  /** API host (default 127.0.0.1). */
  host?: string;
  /** API port (default 8474; 0 picks a free one). */
  port?: number;
  /** Seed for toxicity, jitter and slicing draws (default: a random one, see `seed`). */
  seed?: number;
  /** -proxy-metrics: byte counters per proxy and direction on GET /metrics. */
  proxyMetrics?: boolean;
  /** -runtime-metrics: process and Node metrics on GET /metrics. Without either, /metrics is a 404. */
  runtimeMetrics?: boolean;
  /** -refuse-while-upstream-down: refuse connections while a proxy's upstream cannot be dialled. */
  refuseWhileUpstreamDown?: boolean;
  logger?: ProxyLogger;
}

export interface ToxiproxyServer {
  /** e.g. "http://127.0.0.1:8474", for toxiproxy-node-client (loopback when bound to every interface). */
  readonly url: string;
  /** The bound API address as Go prints it, e.g. "0.0.0.0:8474". */
  readonly listen: string;
  readonly host: string;
  readonly port: number;
  readonly seed: number;
  readonly proxies: ProxyCollection;
  /** Stops every proxy, closes every connection and the API. */
  close(): Promise<void>;
}

/** Starts the API; rejects with the listen error (code EADDRINUSE, …) if it cannot bind. */
export async function startToxiproxy(options: ToxiproxyOptions = {}): Promise<ToxiproxyServer> {
  const host = options.host ?? "127.0.0.1";
  const seed = options.seed ?? randomSeed();
  const log = options.logger ?? jsonLogger();
  const proxyMetrics = options.proxyMetrics ? new ProxyMetrics() : undefined;
  const proxies = new ProxyCollection(seed, log, {
    metrics: proxyMetrics,
    refuseWhileUpstreamDown: options.refuseWhileUpstreamDown,
  });
  const metrics = metricsExposition(proxyMetrics, options.runtimeMetrics ?? false);
  const api = http.createServer(createApiHandler(proxies, { version: VERSION, log, metrics }));
  api.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    api.once("error", reject);
    api.listen({ host, port: options.port ?? 8474 }, () => {
      api.off("error", reject);
      resolve();
    });
  });
  const address = api.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 8474);
  const bound = formatAddress(address);
  const wildcard = bound.startsWith("[::]") || bound.startsWith("0.0.0.0");
  log.info({ listen: bound, seed, version: VERSION }, "API HTTP server starting");

  let closing: Promise<void> | undefined;
  return {
    url: `http://${wildcard ? `127.0.0.1:${port}` : bound}`,
    listen: bound,
    host,
    port,
    seed,
    proxies,
    close() {
      closing ??= new Promise<void>((resolve) => {
        proxies.stopAll();
        api.close(() => resolve());
        api.closeAllConnections();
      });
      return closing;
    },
  };
}
