/**
 * The proxy's logging surface. pino loggers satisfy it (the CLI injects one); the container entry point
 * uses `jsonLogger`, which writes pino-shaped JSON lines to stderr with no dependency.
 */
export interface ProxyLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
type Level = keyof typeof LEVELS;

function isLevel(name: string): name is Level {
  return Object.prototype.hasOwnProperty.call(LEVELS, name);
}

/** JSON lines at `level` and above (default: $LOG_LEVEL, else info), as toxiproxy's LOG_LEVEL does. */
export function jsonLogger(
  level: string = process.env.LOG_LEVEL ?? "info",
  write: (line: string) => void = (line) => void process.stderr.write(line),
): ProxyLogger {
  const name = level.toLowerCase();
  const min = isLevel(name) ? LEVELS[name] : LEVELS.info;
  const at =
    (lvl: Exclude<Level, "silent" | "trace" | "fatal">) =>
    (obj: object, msg?: string): void => {
      if (LEVELS[lvl] < min) return;
      const err = obj instanceof Error ? { err: { message: obj.message, code: errCode(obj) } } : obj;
      write(JSON.stringify({ level: lvl, time: new Date().toISOString(), ...err, msg }) + "\n");
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export const silentLogger: ProxyLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function errCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
