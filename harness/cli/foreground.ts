/**
 * What the commands that serve in the foreground (`serve`, `toxiproxy`) share: a listen failure the user
 * can fix is one line (exit 254), and they run until SIGINT or SIGTERM.
 */
import { BadInputError } from "../../kernel/errors.ts";

const BAD_ADDRESS = new Set(["EADDRNOTAVAIL", "ENOTFOUND", "EACCES", "EAI_AGAIN"]);

/** Rethrows a failure to listen on host:port: bad input when the address or port is the cause. */
export function listenFailed(err: unknown, host: string, port: number): never {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE")
    throw new BadInputError(`port ${port} on ${host} is already in use: pick another with --port`);
  if (typeof code === "string" && BAD_ADDRESS.has(code))
    throw new BadInputError(`cannot listen on ${host}:${port} (${code})`);
  throw err;
}

/** Resolves at the first SIGINT or SIGTERM, and stops listening for them. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
