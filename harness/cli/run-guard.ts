/**
 * What a run does about its own faults. SIGINT or SIGTERM, or an uncaught exception or unhandled rejection
 * anywhere in the process, aborts the run: it heals the faults, stops the workers, removes its containers
 * and networks, and keeps (and checks) what it recorded. A second signal (a second or more later: one Ctrl-C
 * can arrive twice, from the terminal and from npm) exits at once ('zk-chaos clean', or
 * the next run, removes the leftovers by label). An uncaught error also makes the exit code 255, said in
 * one line (the stack goes to harness.log at debug level), a cleanup that hangs after it is cut short, and
 * the run's record (JUnit, a campaign's table) says crashed, with the error, instead of the run's verdict.
 */
import type { Verdict } from "../campaign/verdict.ts";
import { EXIT, ExitError, oneLine } from "../../kernel/errors.ts";
import { logger } from "../../kernel/log.ts";

/** What a run's record (JUnit, a campaign's table) says about how it ended. */
export interface Ending {
  readonly verdict: Verdict;
  readonly error?: string;
}

export interface RunGuard {
  /** The first uncaught error, if there was one. */
  readonly fatal: Error | undefined;
  /** Stop listening (the run is over). */
  dispose(): void;
  /** After the run: exit 255 if an uncaught error aborted it (its line is already out). */
  throwIfFatal(): void;
  /**
   * The record of a run that ends now, as it is kept: crashed, with the error, if an uncaught error aborted
   * it (whatever the check of what it recorded said: the harness was in a state nobody tested); else as is.
   */
  settle<R extends Ending>(record: R): R;
}

export interface RunGuardOptions {
  /** How long the cleanup after an uncaught error may take before the process exits anyway, ms. */
  readonly graceMs?: number;
  readonly write?: (text: string) => void;
  readonly exit?: (code: number) => void;
  readonly now?: () => number;
}

/** A second signal this soon after the first is the same interrupt delivered twice, not a "force". */
const SAME_INTERRUPT_MS = 1000;

/** Install the guard for a run controlled by `abort`. */
export function guardRun(abort: AbortController, opts: RunGuardOptions = {}): RunGuard {
  const write = opts.write ?? ((t: string) => void process.stderr.write(t));
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let interrupts = 0;
  let fatal: Error | undefined;
  let watchdog: NodeJS.Timeout | undefined;

  const now = opts.now ?? Date.now;
  let firstAt = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts === 1 && !fatal) {
      firstAt = now();
      write(`\n${sig}: healing, tearing down and checking what was recorded (again to force)\n`);
      abort.abort();
    } else if (!fatal && now() - firstAt < SAME_INTERRUPT_MS) {
      // Ctrl-C under `npm run` reaches us twice: from the terminal and forwarded by npm. That is one.
      interrupts--;
    } else {
      write(`${sig} again: exiting now; 'zk-chaos clean' removes what is left\n`);
      exit(EXIT.harness);
    }
  };

  const onFatal = (err: unknown): void => {
    const e = err instanceof Error ? err : new Error(String(err));
    // the stack goes to harness.log only (debug never reaches the terminal)
    logger("run").debug({ err: e.stack ?? e.message }, fatal ? "another uncaught error" : "uncaught error");
    if (fatal) return;
    fatal = e;
    write(
      `zk-chaos: internal error: ${oneLine(e.message)}; healing, tearing down, keeping what was recorded\n`,
    );
    abort.abort();
    watchdog = setTimeout(() => {
      write("zk-chaos: cleanup did not finish in time; 'zk-chaos clean' removes what is left\n");
      exit(EXIT.harness);
    }, opts.graceMs ?? 120_000);
    watchdog.unref();
  };

  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("uncaughtException", onFatal);
  process.on("unhandledRejection", onFatal);
  return {
    get fatal() {
      return fatal;
    },
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.off("uncaughtException", onFatal);
      process.off("unhandledRejection", onFatal);
      clearTimeout(watchdog);
    },
    throwIfFatal() {
      if (fatal) throw new ExitError(EXIT.harness);
    },
    settle(record) {
      return fatal ? { ...record, verdict: "crashed", error: abortedBy(fatal) } : record;
    },
  };
}

/** The harness error of a run an uncaught error aborted. */
const abortedBy = (err: Error): string => `uncaught error aborted the run: ${oneLine(err.message)}`;
