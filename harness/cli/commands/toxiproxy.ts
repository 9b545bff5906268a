/**
 * `zk-chaos toxiproxy`: our Toxiproxy-compatible server in the foreground until SIGINT/SIGTERM.
 * Prints one line with the API address (and the seed, to repeat the run's draws), then closes everything.
 */
import { BadInputError } from "../../core/errors.ts";
import { logger } from "../../core/log.ts";
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
    const code = (err as { code?: unknown }).code;
    if (code === "EADDRINUSE") throw new BadInputError(`port ${opts.port} on ${opts.host} is already in use`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EACCES" || code === "EAI_AGAIN") {
      throw new BadInputError(`cannot listen on ${opts.host}:${opts.port} (${String(code)})`);
    }
    throw err;
  }
  process.stdout.write(`toxiproxy API listening on http://${server.listen} (seed ${server.seed})\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await server.close();
  return 0;
}
