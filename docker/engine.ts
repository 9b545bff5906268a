import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync } from "node:fs";
import Docker from "dockerode";
import { SetupError } from "../kernel/errors.ts";
import { execFile, onPath } from "../kernel/exec.ts";
import { logger } from "../kernel/log.ts";
import { progress } from "../kernel/progress.ts";
import { DOCKER_HOST_ADDRESS } from "./docker-host.ts";
import { dockerdPath } from "./dockerd-iptables.ts";

const log = logger("docker-engine");

// Ryuk's image can't be pulled where no registry answers; we remove what we create by label instead.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= "true";
// We publish every port on 127.0.0.1 only (a remote engine: its host, docker-host.ts). Where /.dockerenv
// exists (CI machines), testcontainers would otherwise reach containers through the bridge gateway.
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= DOCKER_HOST_ADDRESS.clientHost;
const DOCKERD_LOG = "/var/log/zk-chaos-dockerd.log";

/** The Docker client every part of docker/ uses (honours DOCKER_HOST, so the engine may be remote). */
export const docker = new Docker();

async function engineAnswers(timeoutMs = 3000): Promise<boolean> {
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("ping timed out")), timeoutMs)),
    ]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Make sure a Docker engine answers. Silent when it already does. Where it does not and we are root on a
 * Debian-like system with a local engine, install Debian's docker.io if needed and start dockerd in the
 * background; otherwise one clear SetupError saying what is missing.
 */
export async function ensureDockerEngine(): Promise<void> {
  if (await engineAnswers()) return;
  if (process.env.DOCKER_HOST) {
    throw new SetupError(`the Docker engine at DOCKER_HOST=${process.env.DOCKER_HOST} does not answer`);
  }
  const root = process.getuid?.() === 0;
  if (!root || !existsSync("/etc/debian_version")) {
    throw new SetupError(
      "no Docker engine answers: start one (or set DOCKER_HOST); zk-chaos installs it only as root on Debian",
    );
  }
  const p = progress("docker engine");
  if (!(await onPath("dockerd"))) {
    p.update("installing docker.io", "apt-get");
    await aptInstall(["docker.io"]);
  }
  if (!(await engineAnswers(1000))) {
    p.update("starting dockerd", `log: ${DOCKERD_LOG}`);
    mkdirSync("/var/log", { recursive: true });
    const out = openSync(DOCKERD_LOG, "a");
    // Published ports by iptables DNAT instead of a docker-proxy process copying every client byte: on two
    // cores that copy cost about a tenth of a run's throughput (bench:runner medians 960 → 1090 ops/s).
    // Legacy iptables where it may: Docker's per-port rule edits then cost a ninth (dockerd-iptables.ts).
    const { path, iptables } = await dockerdPath(process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin");
    const child = spawn("dockerd", ["--userland-proxy=false"], {
      detached: true,
      stdio: ["ignore", out, out],
      env: { ...process.env, PATH: path },
    });
    child.unref();
    log.info({ pid: child.pid, iptables }, "started dockerd");
  }
  const deadline = Date.now() + 60_000;
  while (!(await engineAnswers(1000))) {
    if (Date.now() > deadline) throw new SetupError(`dockerd did not answer within 60 s; see ${DOCKERD_LOG}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  p.done("ready");
}

async function mustRun(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<void> {
  const r = await execFile(file, args, env ? { env } : {});
  if (r.code !== 0) {
    const last = (r.stderr.trim().split("\n").pop() ?? "").slice(0, 300);
    throw new SetupError(`${file} ${args.join(" ")} failed (exit ${r.code}): ${last}`);
  }
}

/** apt-get update, then install the packages (root on Debian only; callers check). */
export async function aptInstall(packages: string[]): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await mustRun("apt-get", ["update"], env);
  await mustRun("apt-get", ["install", "-y", "--no-install-recommends", ...packages], env);
}
