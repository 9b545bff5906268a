/** Command-line flags of toxiproxy/main.ts, GNU (`--port 8474`, `--port=8474`) or Go style (`-port=8474`). */
export interface Args {
  host: string;
  port: number;
  seed?: number;
  config?: string;
  version?: boolean;
  help?: boolean;
}

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

export const USAGE =
  "usage: toxiproxy [--host 127.0.0.1] [--port 8474] [--seed N] [--config proxies.json] [--version]\n";
