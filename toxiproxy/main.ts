/**
 * The container's entry point (bundled with esbuild, run by Node 18+):
 *
 *   node toxiproxy.js [--host 127.0.0.1] [--port 8474] [--seed N] [--config proxies.json]
 *                     [--proxy-metrics] [--runtime-metrics] [--refuse-while-upstream-down]
 *
 * Go-style single-dash flags (`-host=0.0.0.0`) are accepted too, as the official image passes them.
 * `--config` is a /populate body loaded at start. Either metrics flag turns on GET /metrics (Prometheus).
 * Logs are JSON lines on stderr at $LOG_LEVEL (info).
 * Prints one line with the API address on stdout; SIGINT/SIGTERM close everything and exit 0.
 */
import { readFileSync } from "node:fs";
import type { Args } from "./args.ts";
import { parseArgs, USAGE } from "./args.ts";
import { jsonLogger } from "./logger.ts";
import { startToxiproxy, VERSION } from "./server.ts";

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`toxiproxy: ${(err as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.version) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const log = jsonLogger();
  const server = await startToxiproxy({
    host: args.host,
    port: args.port,
    seed: args.seed,
    proxyMetrics: args.proxyMetrics,
    runtimeMetrics: args.runtimeMetrics,
    refuseWhileUpstreamDown: args.refuseWhileUpstreamDown,
    logger: log,
  });
  if (args.config) {
    const body = JSON.parse(readFileSync(args.config, "utf8")) as unknown;
    const res = await fetch(`${server.url}/populate`, { method: "POST", body: JSON.stringify(body) });
    if (!res.ok) log.error({ config: args.config, status: res.status, body: await res.text() }, "bad config");
  }
  process.stdout.write(`toxiproxy API listening on http://${server.listen} (seed ${server.seed})\n`);
  const stop = (): void => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    void server.close();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`toxiproxy: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
