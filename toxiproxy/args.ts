/** Command-line flags of toxiproxy/main.ts, GNU (`--port 8474`, `--port=8474`) or Go style (`-port=8474`). */
export interface Args {
  host: string;
  port: number;
  seed?: number;
  config?: string;
  /** Serve GET /metrics with per-proxy byte counters. */
  proxyMetrics?: boolean;
  /** Serve GET /metrics with process and Node runtime metrics. */
  runtimeMetrics?: boolean;
  /** Refuse connections while a proxy's upstream cannot be dialled (Toxiproxy accepts, then closes). */
  refuseWhileUpstreamDown?: boolean;
  version?: boolean;
  help?: boolean;
}

/** Boolean flags: bare means true; a value only after `=` (`-proxy-metrics=false`), as Go's flag package. */
const BOOLEAN_FLAGS = {
  "proxy-metrics": "proxyMetrics",
  "runtime-metrics": "runtimeMetrics",
  "refuse-while-upstream-down": "refuseWhileUpstreamDown",
} as const;

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = { host: "127.0.0.1", port: 8474 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unexpected argument '${arg}'`);
    const name = m[1] as string;
    if (name === "version" || name === "help" || name === "h") {
      if (name === "version") args.version = true;
      else args.help = true;
      continue;
    }
    if (Object.hasOwn(BOOLEAN_FLAGS, name)) {
      args[BOOLEAN_FLAGS[name as keyof typeof BOOLEAN_FLAGS]] = m[2] === undefined || bool(name, m[2]);
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    if (name === "host") args.host = value;
    else if (name === "port") args.port = integer(name, value, 0, 65535);
    else if (name === "seed")
      args.seed = integer(name, value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    else if (name === "config") args.config = value;
    else throw new Error(`unknown option '--${name}'`);
  }
  return args;
}

function integer(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return n;
}

/** The spellings Go's strconv.ParseBool accepts. */
function bool(name: string, raw: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(raw)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(raw)) return false;
  throw new Error(`--${name} must be true or false, got '${raw}'`);
}

export const USAGE =
  "usage: toxiproxy [--host 127.0.0.1] [--port 8474] [--seed N] [--config proxies.json]\n" +
  "                 [--proxy-metrics] [--runtime-metrics] [--refuse-while-upstream-down] [--version]\n" +
  "  --proxy-metrics    serve GET /metrics with byte counters per proxy and direction\n" +
  "  --runtime-metrics  serve GET /metrics with process and Node.js runtime metrics\n" +
  "  --refuse-while-upstream-down\n" +
  "                     refuse connections while a proxy's upstream cannot be dialled (not in Toxiproxy)\n";
