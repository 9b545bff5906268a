/**
 * The composition root of the CLI: parses arguments, lazily imports the command, and is the one place that
 * turns errors into exit codes (0 valid, 1 invalid, 2 unknown, 254 bad input, 255 harness error).
 */
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { BadInputError, EXIT, ExitError, SetupError } from "../core/errors.ts";

function intArg(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
    }
    return n;
  };
}

function numArg(name: string, min: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(n) || n < min) {
      throw new InvalidArgumentError(`${name} must be a number ≥ ${min}, got '${raw}'`);
    }
    return n;
  };
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command("zk-chaos")
    .description("Jepsen-style chaos tests for Apache ZooKeeper")
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      // One clear line for bad arguments, never a usage dump or a stack trace.
      outputError: (str, write) => write(str.split("\n")[0] + "\n"),
    });

  program
    .command("images")
    .description("make sure the ZooKeeper and proxy images exist (pull the official ones, else build from Debian)")
    .option("--rebuild", "build the local images again even if present")
    .action(async (opts: { rebuild?: boolean }) => {
      const { imagesCommand } = await import("./commands/images.ts");
      setExit(await imagesCommand(opts));
    });

  program
    .command("clean")
    .description("remove every container and network labelled zk-chaos.run")
    .action(async () => {
      const { cleanCommand } = await import("./commands/clean.ts");
      setExit(await cleanCommand());
    });

  program
    .command("smoke")
    .description("start an ensemble, write through one server and read through every other, tear down")
    .option("--nodes <n>", "servers, 3 to 5", intArg("--nodes", 3, 5), 3)
    .action(async (opts: { nodes: number }) => {
      const { smokeCommand } = await import("./commands/smoke.ts");
      setExit(await smokeCommand(opts));
    });

  program
    .command("check")
    .description("check stored histories; one verdict line per file, exit code the worst")
    .argument("<files...>", "history files or folders of them")
    .option("--format <format>", "jsonl | jepsen-edn | porcupine-etcd | porcupine-kv (default: by content)")
    .option("--model <model>", "linearizability model (default: by workload or format)")
    .option("--json", "print results.json's shape, one JSON object per file")
    .option("--timeout <s>", "seconds per file for the linearizability search", numArg("--timeout", 0))
    .action(async (files: string[], opts: CheckCliOptions) => {
      const { checkCommand } = await import("./commands/check.ts");
      setExit(await checkCommand(files, opts));
    });

  program
    .command("toxiproxy")
    .description("run the Toxiproxy-compatible server in the foreground")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "API port", intArg("--port", 0, 65535), 8474)
    .option("--seed <n>", "seed for jitter and toxicity draws", intArg("--seed", 0))
    .action(async (opts: { host: string; port: number; seed?: number }) => {
      const { toxiproxyCommand } = await import("./commands/toxiproxy.ts");
      setExit(await toxiproxyCommand(opts));
    });

  return program;
}

export interface CheckCliOptions {
  format?: string;
  model?: string;
  json?: boolean;
  timeout?: number;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.valid;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (err) {
    return exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
    if (err.code === "commander.help") return 0;
    return EXIT.badInput; // commander already printed its one line
  }
  if (err instanceof ExitError) {
    if (err.message && err.message !== `exit ${err.code}`) process.stderr.write(`zk-chaos: ${err.message}\n`);
    return err.code;
  }
  if (err instanceof BadInputError) {
    process.stderr.write(`zk-chaos: ${err.message}\n`);
    return EXIT.badInput;
  }
  if (err instanceof SetupError) {
    process.stderr.write(`zk-chaos: ${err.message}\n`);
    return EXIT.harness;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`zk-chaos: internal error: ${e.message}\n`);
  if (process.env.ZK_CHAOS_DEBUG) process.stderr.write(`${e.stack}\n`);
  return EXIT.harness;
}
