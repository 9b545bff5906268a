import { pino, type Logger } from "pino";

/**
 * The root pino logger. JSON lines; each part binds a `component` child. By default logs go to stderr at
 * `warn` (the terminal belongs to progress and verdicts); a run redirects them to its harness.log.
 */
let root: Logger = pino({ level: process.env.ZK_CHAOS_LOG_LEVEL ?? "warn" }, pino.destination(2));

export function logger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return root.child({ component, ...bindings });
}

/** Send every later log line to `file` (appended, synchronous so a crash loses nothing). */
export function logToFile(file: string, level = "debug"): Logger {
  root = pino({ level }, pino.destination({ dest: file, sync: true, mkdir: true }));
  return root;
}
