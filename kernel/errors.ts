/**
 * Typed errors; the CLI's one handler (harness/cli/main.ts) turns them into exit codes.
 * Nothing else calls process.exit.
 */

/** Exit codes, as Jepsen's: 0 valid, 1 invalid, 2 unknown, 254 bad arguments or input, 255 harness error. */
export const EXIT = { valid: 0, invalid: 1, unknown: 2, badInput: 254, harness: 255 } as const;

/** Longest message a BadInputError keeps (input quoted in it may be huge). */
const MAX_MESSAGE = 400;

/** `message` as one line of at most MAX_MESSAGE characters. */
export function oneLine(message: string): string {
  const s = message.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ");
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s;
}

/** Bad options, specs, history files: one clear line for the user, exit 254, never a stack trace. */
export class BadInputError extends Error {
  override readonly name = "BadInputError";
  constructor(message: string) {
    super(oneLine(message));
  }
}

/** The environment cannot do what we need (no Docker engine, an image that cannot be built): exit 255. */
export class SetupError extends Error {
  override readonly name = "SetupError";
}

/** A command that finished and wants a particular exit code (e.g. an invalid verdict). */
export class ExitError extends Error {
  override readonly name = "ExitError";
  constructor(
    readonly code: number,
    message = `exit ${code}`,
  ) {
    super(message);
  }
}
