import { AsyncLocalStorage } from "node:async_hooks";
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * The root pino logger. JSON lines; each part binds a `component` child. By default logs go to stderr at
 * `warn` (the terminal belongs to progress and verdicts); a run redirects them to its harness.log. Every
 * logger writes through one router, so module-level loggers follow the redirect too, and runs side by side
 * in one process (a campaign) each keep their own harness.log (see `withLogScope`).
 */
type FileDestination = ReturnType<typeof pino.destination>;

const stderrLevel = pino.levels.values[process.env.ZK_CHAOS_LOG_LEVEL ?? "warn"] ?? pino.levels.values.warn!;
const stderr = pino.destination(2);
/** The file of logToFile called outside any scope. */
let globalFile: FileDestination | null = null;
const scopes = new AsyncLocalStorage<{ file: FileDestination | null }>();

const router: DestinationStream = {
  write(line: string) {
    const file = scopes.getStore()?.file ?? globalFile;
    if (file) file.write(line);
    else if (Number(/"level":(\d+)/.exec(line)?.[1] ?? 60) >= stderrLevel) stderr.write(line);
  },
};

const root: Logger = pino({ level: stderrLevel < 20 ? "trace" : "debug" }, router);

export function logger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return root.child({ component, ...bindings });
}

/**
 * Send every later log line to `file` (appended, synchronous so a crash loses nothing): inside a
 * `withLogScope`, that scope's lines; elsewhere, the lines of every code outside a scope.
 */
export function logToFile(file: string): Logger {
  const dest = pino.destination({ dest: file, sync: true, mkdir: true });
  const scope = scopes.getStore();
  const old = scope ? scope.file : globalFile;
  if (scope) scope.file = dest;
  else globalFile = dest;
  old?.end();
  return root;
}

/** Run `fn` with a log destination of its own: a logToFile inside it affects only its async calls. */
export async function withLogScope<T>(fn: () => Promise<T>): Promise<T> {
  const scope: { file: FileDestination | null } = { file: null };
  try {
    return await scopes.run(scope, fn);
  } finally {
    const file = scope.file;
    scope.file = null; // late lines of this scope fall back to the global destination
    file?.end();
  }
}
