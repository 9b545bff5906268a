import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SetupError } from "../kernel/errors.ts";
import { logger } from "../kernel/log.ts";
import { progress, type Progress } from "../kernel/progress.ts";
import { buildDebianImage } from "./debian-rootfs.ts";
import { docker, ensureDockerEngine } from "./engine.ts";
import {
  LOCAL_TOXIPROXY_REPO,
  LOCAL_ZOOKEEPER_IMAGE,
  OFFICIAL_TOXIPROXY_IMAGE,
  OFFICIAL_ZOOKEEPER_IMAGE,
} from "./versions.ts";

const log = logger("images");
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The local proxy image's default command: the API on every interface, at Toxiproxy's port. */
export const LOCAL_PROXY_COMMAND = ["--host", "0.0.0.0", "--port", "8474"] as const;

export interface Images {
  zookeeper: string;
  proxy: string;
}

export interface EnsureImagesOptions {
  /** Use this ZooKeeper image as given (pulled if missing). */
  zkImage?: string;
  /** Use this proxy image as given (pulled if missing). */
  proxyImage?: string;
  /** Build the local images again even if present. */
  rebuild?: boolean;
  /** Skip pulling official images (where no registry is reachable the pull fails at once anyway). */
  noPull?: boolean;
}

/**
 * Make sure a ZooKeeper image and a proxy image exist: the official ones where present or pullable, else
 * images built here from Debian packages (once; reused after). Returns the image names to run.
 */
export async function ensureImages(opts: EnsureImagesOptions = {}): Promise<Images> {
  const zookeeper = await ensureZooKeeperImage(opts);
  const proxy = await ensureProxyImage(opts);
  return { zookeeper, proxy };
}

export async function ensureZooKeeperImage(opts: EnsureImagesOptions = {}): Promise<string> {
  await ensureDockerEngine();
  const p = progress("images");
  return ensureOne(opts.zkImage, OFFICIAL_ZOOKEEPER_IMAGE, LOCAL_ZOOKEEPER_IMAGE, opts, p, () =>
    buildDebianImage(LOCAL_ZOOKEEPER_IMAGE, p),
  );
}

export async function ensureProxyImage(opts: EnsureImagesOptions = {}): Promise<string> {
  await ensureDockerEngine();
  const p = progress("images");
  const localProxy = `${LOCAL_TOXIPROXY_REPO}:${proxySourceHash()}`;
  return ensureOne(opts.proxyImage, OFFICIAL_TOXIPROXY_IMAGE, localProxy, opts, p, async () => {
    // The proxy image is the Debian base plus our bundled Toxiproxy-compatible server.
    if (!(await imageExists(LOCAL_ZOOKEEPER_IMAGE))) await buildDebianImage(LOCAL_ZOOKEEPER_IMAGE, p);
    await buildProxyImage(LOCAL_ZOOKEEPER_IMAGE, localProxy, p);
  });
}

async function ensureOne(
  chosen: string | undefined,
  official: string,
  local: string,
  opts: EnsureImagesOptions,
  p: Progress,
  build: () => Promise<void>,
): Promise<string> {
  if (chosen) {
    if (await imageExists(chosen)) return chosen;
    if (await tryPull(chosen, p)) return chosen;
    throw new SetupError(`image ${chosen} is not present and could not be pulled`);
  }
  const noPull = opts.noPull ?? process.env.ZK_CHAOS_NO_PULL === "1";
  if (!opts.rebuild) {
    if (await imageExists(official)) return official;
    if (await imageExists(local)) return local;
    if (!noPull && (await tryPull(official, p))) return official;
  }
  p.update(`building ${local}`, "no registry image; building from Debian packages (about a minute)");
  const started = Date.now();
  await build();
  p.done(`built ${local} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return local;
}

export async function imageExists(name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch {
    return false;
  }
}

async function tryPull(name: string, p: Progress): Promise<boolean> {
  p.update(`pulling ${name}`);
  try {
    const stream = await docker.pull(name);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())),
    );
    return true;
  } catch (err) {
    log.info({ image: name, err: String(err) }, "pull failed; falling back");
    return false;
  }
}

const PROXY_SOURCES = join(repoRoot, "toxiproxy");

/** A short hash of the proxy's sources, so a changed server gets a new local image. */
export function proxySourceHash(): string {
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
        h.update(e.name).update(readFileSync(path));
    }
  };
  walk(PROXY_SOURCES);
  return h.digest("hex").slice(0, 12);
}

async function buildProxyImage(base: string, tag: string, p: Progress): Promise<void> {
  p.update(`building ${tag}`, "bundling the proxy server");
  const { build } = await import("esbuild");
  const dir = mkdtempSync(join(tmpdir(), "zk-chaos-proxy-image-"));
  try {
    await build({
      entryPoints: [join(PROXY_SOURCES, "main.ts")],
      bundle: true,
      platform: "node",
      target: "node18",
      format: "cjs",
      outfile: join(dir, "toxiproxy.js"),
      logLevel: "silent",
    });
    writeFileSync(
      join(dir, "Dockerfile"),
      [
        `FROM ${base}`,
        "COPY toxiproxy.js /opt/zk-chaos/toxiproxy.js",
        "EXPOSE 8474",
        'ENTRYPOINT ["node", "/opt/zk-chaos/toxiproxy.js"]',
        `CMD ${JSON.stringify(LOCAL_PROXY_COMMAND)}`,
        "",
      ].join("\n"),
    );
    p.update(`building ${tag}`, "docker build");
    // dockerode directly: testcontainers' builder would try to pull the local base image from a registry.
    const stream = await docker.buildImage({ context: dir, src: ["Dockerfile", "toxiproxy.js"] }, {
      t: tag,
      pull: false,
    } as object);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
        const failed = err ?? out.find((o) => o.error);
        if (failed)
          reject(
            new SetupError(`building ${tag} failed: ${err?.message ?? (failed as { error: string }).error}`),
          );
        else resolve();
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
