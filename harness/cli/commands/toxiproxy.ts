/**
 * `zk-chaos toxiproxy`: our Toxiproxy-compatible server in the foreground until SIGINT/SIGTERM.
 * Prints one line with the API address (and the seed, to repeat the run's draws), then closes everything.
 */
import { logger } from "../../../kernel/log.ts";
import { listenFailed, untilStopped } from "../foreground.ts";
import { startToxiproxy } from "../../../toxiproxy/server.ts";

export interface ToxiproxyCommandOptions {
  host: string;
  port: number;
  seed?: number;
  /** Serve GET /metrics (Prometheus) with byte counters per proxy and direction, as toxiproxy -proxy-metrics. */
  proxyMetrics?: boolean;
  /** Serve GET /metrics with process and Node.js metrics (toxiproxy -runtime-metrics exports Go's). */
  runtimeMetrics?: boolean;
}

export async function toxiproxyCommand(opts: ToxiproxyCommandOptions): Promise<number> {
  const log = logger("toxiproxy");
  let server;
  try {
    server = await startToxiproxy({
      host: opts.host,
      port: opts.port,
      seed: opts.seed,
      proxyMetrics: opts.proxyMetrics,
      runtimeMetrics: opts.runtimeMetrics,
      logger: log,
    });
  } catch (err) {
    listenFailed(err, opts.host, opts.port);
  }
  process.stdout.write(`toxiproxy API listening on http://${server.listen} (seed ${server.seed})\n`);
  await untilStopped();
  await server.close();
  return 0;
}
