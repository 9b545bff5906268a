/**
 * The composition root of the CLI: parses arguments, lazily imports the command, and is the one place that
 * turns errors into exit codes (0 valid, 1 invalid, 2 unknown, 254 bad input, 255 harness error).
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { BadInputError, EXIT, ExitError, SetupError } from "../../kernel/errors.ts";
import { DEFAULT_ZK_VERSION, MAX_OBSERVERS, ZK_VERSIONS } from "../../kernel/zk-version.ts";

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

/** This package's version, from its package.json (read once, only by the CLI). */
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command("zk-chaos")
    .description("Jepsen-style chaos tests for Apache ZooKeeper")
    .version(PACKAGE_VERSION, "-V, --version", "print the version")
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      // One clear line for bad arguments, never a usage dump or a stack trace.
      outputError: (str, write) => write(str.split("\n")[0] + "\n"),
    });

  program
    .command("images")
    .description(
      "make sure the ZooKeeper and proxy images exist (pull the official ones, else build from Debian)",
    )
    .option("--rebuild", "build the local images again even if present")
    .option(
      "--zk-versions <list>",
      "ZooKeeper lines to make sure of, comma list of 3.4, 3.8, 3.9 (default: 3.8)",
    )
    .action(async (opts: { rebuild?: boolean; zkVersions?: string }) => {
      const { imagesCommand } = await import("./commands/images.ts");
      setExit(await imagesCommand(opts));
    });

  program
    .command("clean")
    .description("remove the containers and networks (labelled zk-chaos.run) of runs whose harness is gone")
    .option("--all", "also those of runs still going")
    .option("--check", "remove nothing; exit 1 if any labelled container or network exists")
    .action(async (opts: { all?: boolean; check?: boolean }) => {
      const { cleanCommand } = await import("./commands/clean.ts");
      setExit(await cleanCommand(opts));
    });

  const run = program
    .command("run")
    .description("run one test; prints the verdict, the report path and the repro command")
    .option(
      "--workload <name>",
      "lock | queue | election | register | exporter | multi, or ./my-recipe.ts / a package (default: lock)",
    )
    .option("--variant <name>", "recipe variant (default: the workload's first)")
    .option("--nodes <n>", "ZooKeeper servers, 3 to 5", intArg("--nodes", 3, 5))
    .option(
      "--observers <n>",
      "observers besides them, 0 to 4 (clients may connect to them; no vote)",
      intArg("--observers", 0, MAX_OBSERVERS),
    )
    .option("--zk-version <v>", `ZooKeeper line: ${ZK_VERSIONS.join(" | ")} (default: ${DEFAULT_ZK_VERSION})`)
    .option("--clients <n>", "client worker processes", intArg("--clients", 1, 64))
    .option("--client <driver>", "zookeeper | node-zookeeper-client")
    .option("--time-limit <s>", "seconds of the main phase", numArg("--time-limit", 1))
    .option("--rate <ops>", "total ops per second (0: unlimited)", numArg("--rate", 0))
    .option(
      "--nemesis <list>",
      "comma list of partition, latency, pause, kill, client-pause, lost-replies, lagging-follower, none (taken in turn); a+b: together; a:key=value,…: a fault's options (partition:shape=halves,mode=refuse)",
    )
    .option("--nemesis-interval <s>", "seconds between fault start and stop", numArg("--nemesis-interval", 1))
    .option("--faults <n>", "at most this many faults in the main phase", intArg("--faults", 0, 100_000))
    .option("--partition-mode <mode>", "blackhole | refuse")
    .option("--client-pause-mode <mode>", "signal (SIGSTOP the client) | network (blackhole its links)")
    .option(
      "--target <who>",
      "which client a fault hits: auto (default: a client pause hits a lock holder inside its critical section or the leader; lost replies the server of a write in flight) | holder | leader | inflight | random",
    )
    .option("--session-timeout <ms>", "ZooKeeper session timeout", intArg("--session-timeout", 1000, 60000))
    .option(
      "--after-heal-bound <ms>",
      "how soon after the last heal the system must work again (default: the workload's, else the session timeout + 25 s)",
      intArg("--after-heal-bound", 1000, 3_600_000),
    )
    .option(
      "--check-timeout <s>",
      "seconds the checkers may take, 0: no limit (default: 600)",
      numArg("--check-timeout", 0),
    )
    .option("--seed <n>", "seed (default: random, printed)", intArg("--seed", 0, 2 ** 31 - 1))
    .option("--results <dir>", "results folder")
    .option("--zk-image <image>", "ZooKeeper image to run")
    .option("--proxy-image <image>", "Toxiproxy(-compatible) image to run")
    .option("--junit <file>", "also write a JUnit XML file with this run as one testcase")
    .action(async (o: Record<string, unknown>) => {
      const { runCommand } = await import("./commands/run.ts");
      setExit(
        await runCommand({
          junit: o.junit,
          workload: o.workload,
          variant: o.variant,
          nodes: o.nodes,
          observers: o.observers,
          zkVersion: o.zkVersion,
          clients: o.clients,
          client: o.client,
          timeLimit: o.timeLimit,
          rate: o.rate,
          nemesis: o.nemesis,
          nemesisInterval: o.nemesisInterval,
          faults: o.faults,
          partitionMode: o.partitionMode,
          clientPauseMode: o.clientPauseMode,
          target: o.target,
          sessionTimeoutMs: o.sessionTimeout,
          afterHealBoundMs: o.afterHealBound,
          checkTimeout: o.checkTimeout,
          seed: o.seed,
          results: o.results,
          zkImage: o.zkImage,
          proxyImage: o.proxyImage,
        }),
      );
    });
  void run;

  program
    .command("repro")
    .description("rerun a stored run with the same spec and seed; says whether the verdict reproduced")
    .argument("<run-dir>", "a results folder")
    .option("--results <dir>", "where to write the new run (default: as the original)")
    .option("--junit <file>", "also write a JUnit XML file with the rerun as one testcase")
    .action(async (dir: string, o: { results?: string; junit?: string }) => {
      const { reproCommand } = await import("./commands/run.ts");
      setExit(await reproCommand(dir, o));
    });

  program
    .command("shrink")
    .description(
      "rerun an invalid run with smaller fault schedules; prints the smallest that still fails and how often it did",
    )
    .argument("<run-dir>", "a results folder of an invalid run")
    .option(
      "--tries <n>",
      "runs per candidate before it counts as not reproducing",
      intArg("--tries", 1, 20),
      2,
    )
    .option(
      "--confirm <n>",
      "reruns of the smallest spec, to say how often it fails",
      intArg("--confirm", 0, 50),
      3,
    )
    .option("--results <dir>", "where to write the candidate runs (default: as the original)")
    .action(async (dir: string, o: { tries?: number; confirm?: number; results?: string }) => {
      const { shrinkCommand } = await import("./commands/shrink.ts");
      setExit(await shrinkCommand(dir, o));
    });

  program
    .command("check")
    .description("check stored histories; one verdict line per file, exit code the worst")
    .argument("<files...>", "history files or folders of them")
    .option("--format <format>", "jsonl | jepsen-edn | porcupine-etcd | porcupine-kv (default: by content)")
    .option("--model <model>", "linearizability model (default: by workload or format)")
    .option(
      "--init <json>",
      'the model\'s initial state as JSON (e.g. 0 for a register, \'{"x":0,"y":0}\' for multi-register)',
    )
    .option("--json", "print results.json's shape, one JSON object per file")
    .option("--timeout <s>", "seconds per file for the linearizability search", numArg("--timeout", 0))
    .option(
      "--max-memory <MB>",
      "memory for the search's caches; past it the verdict is unknown (default: a quarter of the heap limit, ≤ 1024)",
      numArg("--max-memory", 1),
    )
    .action(async (files: string[], opts: CheckCliOptions) => {
      const { checkCommand } = await import("./commands/check.ts");
      setExit(await checkCommand(files, opts));
    });

  program
    .command("export")
    .description("write a history as Jepsen's history.edn (for Knossos and Elle)")
    .argument("<src>", "a history file or a results folder")
    .option("--format <format>", "the input's format: jsonl | jepsen-edn | porcupine-etcd | porcupine-kv")
    .option("-o, --out <file>", "where to write (default: stdout)")
    .action(async (src: string, opts: { format?: string; out?: string }) => {
      const { exportCommand } = await import("./commands/export.ts");
      setExit(await exportCommand(src, opts));
    });

  program
    .command("report")
    .description("rebuild report.html of a run from its stored files")
    .argument("<run-dir>", "a results folder")
    .action(async (dir: string) => {
      const { reportCommand } = await import("./commands/report.ts");
      setExit(await reportCommand(dir));
    });

  program
    .command("serve")
    .description("browse results over HTTP (127.0.0.1 unless told otherwise)")
    .argument("[dir]", "results folder", "results")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port (0: any free port)", intArg("--port", 0, 65535), 8080)
    .action(async (dir: string, opts: { host: string; port: number }) => {
      const { serveCommand } = await import("./commands/serve.ts");
      setExit(await serveCommand(dir, opts));
    });

  program
    .command("campaign")
    .description("run a matrix of tests (nightly); exit code the worst verdict")
    .option("--workloads <list>", "comma list of workloads (default: lock)")
    .option("--variants <list>", "comma list of variants (default: each workload's variants)")
    .option(
      "--nemeses <list>",
      "comma list of nemesis specs as --nemesis takes them; '+' joins faults into one run (default: partition)",
    )
    .option("--seeds <n>", "seeds per combination", intArg("--seeds", 1, 10_000), 1)
    .option("--seed <n>", "first seed (default: random, printed)", intArg("--seed", 0, 2 ** 31 - 1))
    .option("--time-limit <s>", "seconds of each run's main phase", numArg("--time-limit", 1))
    .option("--parallel <k>", "ensembles at a time", intArg("--parallel", 1, 64), 1)
    .option("--nodes <n>", "ZooKeeper servers, 3 to 5", intArg("--nodes", 3, 5))
    .option("--observers <n>", "observers besides them, 0 to 4", intArg("--observers", 0, MAX_OBSERVERS))
    .option(
      "--zk-versions <list>",
      `comma list of ZooKeeper lines, an axis of the matrix: ${ZK_VERSIONS.join(", ")} (default: ${DEFAULT_ZK_VERSION})`,
    )
    .option("--clients <n>", "client worker processes", intArg("--clients", 1, 64))
    .option("--results <dir>", "results folder", "results")
    .option("--junit <file>", "write a JUnit XML file, one testcase per run")
    .action(async (opts: CampaignCliOptions) => {
      const { campaignCommand } = await import("./commands/campaign.ts");
      setExit(await campaignCommand(opts));
    });

  program
    .command("index")
    .description("write one index.html over the runs of one or more results folders")
    .argument("<dirs...>", "results folders (e.g. downloaded from several CI machines)")
    .option("--out <file>", "index file to write (default: index.html in the first folder)")
    .action(async (dirs: string[], opts: { out?: string }) => {
      const { indexCommand } = await import("./commands/index-runs.ts");
      setExit(await indexCommand(dirs, opts));
    });

  program
    .command("toxiproxy")
    .description("run the Toxiproxy-compatible server in the foreground")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "API port", intArg("--port", 0, 65535), 8474)
    .option("--seed <n>", "seed for jitter and toxicity draws", intArg("--seed", 0))
    .option("--proxy-metrics", "serve GET /metrics with byte counters per proxy and direction")
    .option("--runtime-metrics", "serve GET /metrics with process and Node.js runtime metrics")
    .action(
      async (opts: {
        host: string;
        port: number;
        seed?: number;
        proxyMetrics?: boolean;
        runtimeMetrics?: boolean;
      }) => {
        const { toxiproxyCommand } = await import("./commands/toxiproxy.ts");
        setExit(await toxiproxyCommand(opts));
      },
    );

  return program;
}

export interface CampaignCliOptions {
  workloads?: string;
  variants?: string;
  nemeses?: string;
  seeds: number;
  seed?: number;
  timeLimit?: number;
  parallel: number;
  nodes?: number;
  observers?: number;
  zkVersions?: string;
  clients?: number;
  results: string;
  junit?: string;
}

export interface CheckCliOptions {
  format?: string;
  model?: string;
  /** The model's initial state, as JSON text. */
  init?: string;
  json?: boolean;
  timeout?: number;
  /** MiB for the linearizability search's caches. */
  maxMemory?: number;
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
