import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BadInputError, SetupError } from "../kernel/errors.ts";
import { logger } from "../kernel/log.ts";
import { progress, type Progress } from "../kernel/progress.ts";
import { buildDebianImage } from "./debian-rootfs.ts";
import { docker, ensureDockerEngine } from "./engine.ts";
import type { ZkVersion } from "../kernel/zk-version.ts";
import {
  IMAGE_LINE_LABEL,
  IMAGE_RECIPE_LABEL,
  LOCAL_TOXIPROXY_REPO,
  OFFICIAL_TOXIPROXY_IMAGE,
  RECIPE,
} from "./versions.ts";
import { flavourOf, type ZkFlavour } from "./zk-flavours.ts";

const log = logger("images");
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The local proxy image's default command: the API on every interface, at Toxiproxy's port. */
export const LOCAL_PROXY_COMMAND = ["--host", "0.0.0.0", "--port", "8474"] as const;

export interface Images {
  zookeeper: string;
  proxy: string;
}

export interface EnsureImagesOptions {
  /** The ZooKeeper line (default 3.8): its registry image where one can be pulled, else its Debian build. */
  zkVersion?: ZkVersion;
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
  const flavour = flavourOf(opts.zkVersion);
  return ensureOne(opts.zkImage, flavour, opts, p);
}

export async function ensureProxyImage(opts: EnsureImagesOptions = {}): Promise<string> {
  await ensureDockerEngine();
  const p = progress("images");
  const localProxy = `${LOCAL_TOXIPROXY_REPO}:${proxySourceHash()}`;
  if (opts.proxyImage) return namedImage(opts.proxyImage, p);
  if (!opts.rebuild) {
    if (await imageExists(OFFICIAL_TOXIPROXY_IMAGE)) return OFFICIAL_TOXIPROXY_IMAGE;
    if (await imageExists(localProxy)) return localProxy;
    if (!noPull(opts) && (await tryPull(OFFICIAL_TOXIPROXY_IMAGE, p))) return OFFICIAL_TOXIPROXY_IMAGE;
  }
  // The proxy image is the 3.8 Debian base (it has nodejs) plus our bundled Toxiproxy-compatible server.
  const base = flavourOf("3.8");
  const baseImage = (await localZooKeeperImage(base)) ?? (await buildLocal(base, p));
  await buildProxyImage(baseImage, localProxy, p);
  return localProxy;
}

/** A ZooKeeper image of the flavour's line: the registry's if present or pullable, else our Debian build. */
async function ensureOne(
  chosen: string | undefined,
  flavour: ZkFlavour,
  opts: EnsureImagesOptions,
  p: Progress,
): Promise<string> {
  if (chosen) return namedImage(chosen, p);
  if (!opts.rebuild) {
    if (await imageExists(flavour.official)) return flavour.official;
    const local = await localZooKeeperImage(flavour);
    if (local) return local;
    if (!noPull(opts) && (await tryPull(flavour.official, p))) return flavour.official;
  }
  return buildLocal(flavour, p);
}

/** An image the user named: present, or pulled; else one line (exit 254). */
async function namedImage(name: string, p: Progress): Promise<string> {
  if (await imageExists(name)) return name;
  if (await tryPull(name, p)) return name;
  throw new BadInputError(`image ${name} is not present and could not be pulled`);
}

const noPull = (opts: EnsureImagesOptions): boolean => opts.noPull ?? process.env.ZK_CHAOS_NO_PULL === "1";

async function buildLocal(flavour: ZkFlavour, p: Progress): Promise<string> {
  p.update(
    `building ZooKeeper ${flavour.version}`,
    `no registry image; building from Debian ${flavour.suite} packages (a minute or two)`,
  );
  const started = Date.now();
  const tag = await buildDebianImage(flavour, p);
  p.done(`built ${tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return tag;
}

/** Our Debian build of the flavour's line (any package version) under the current recipe, or null. */
export async function localZooKeeperImage(flavour: ZkFlavour): Promise<string | null> {
  const images = await docker.listImages({
    filters: { label: [`${IMAGE_LINE_LABEL}=${flavour.version}`, `${IMAGE_RECIPE_LABEL}=${RECIPE}`] },
  });
  const tags = images
    .sort((a, b) => b.Created - a.Created)
    .flatMap((i) => i.RepoTags ?? [])
    .filter((t) => t !== "<none>:<none>");
  return tags[0] ?? null;
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
