import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SetupError } from "../kernel/errors.ts";
import { onPath } from "../kernel/exec.ts";
import { execFile } from "../kernel/exec.ts";
import type { Progress } from "../kernel/progress.ts";
import { aptInstall, docker } from "./engine.ts";
import {
  DEBIAN_MIRROR,
  IMAGE_LINE_LABEL,
  IMAGE_RECIPE_LABEL,
  IMAGE_VERSION_LABEL,
  LOCAL_ZOOKEEPER_REPO,
  RECIPE,
  RUN_LABEL,
} from "./versions.ts";
import type { ZkFlavour } from "./zk-flavours.ts";

/** Paths trimmed from the rootfs: documentation and caches nothing at run time reads. */
const TRIM = [
  "usr/share/doc",
  "usr/share/man",
  "usr/share/info",
  "var/cache/apt/archives",
  "var/lib/apt/lists",
];

/**
 * Build a Debian rootfs of the flavour's suite and packages with debootstrap and `docker import` it, tagged by
 * the ZooKeeper package's version (zk-chaos/zookeeper:3.9.3-trixie-r2) and labelled with its line, so the
 * next run finds it. Used where no registry can be reached; a minute or two on a warm mirror. Returns the tag.
 */
export async function buildDebianImage(flavour: ZkFlavour, p: Progress): Promise<string> {
  if (process.getuid?.() !== 0) throw new SetupError("building the local image needs root (debootstrap)");
  if (!(await onPath("debootstrap"))) {
    p.update("installing debootstrap");
    await aptInstall(["debootstrap"]);
  }
  const { suite } = flavour;
  const dir = mkdtempSync(join(tmpdir(), "zk-chaos-rootfs-"));
  try {
    let steps = 0;
    const r = await execFile(
      "debootstrap",
      ["--variant=minbase", `--include=${flavour.packages.join(",")}`, suite, dir, DEBIAN_MIRROR],
      {
        onLine: (line) => {
          const m = /^I: (Retrieving|Validating|Unpacking|Configuring|Extracting|Installing)\s*(.*)$/.exec(
            line,
          );
          if (m) p.update(`debootstrap ${suite}: ${m[1]!.toLowerCase()}`, `${++steps} steps, ${m[2]}`);
        },
      },
    );
    if (r.code !== 0) {
      const last = (r.stderr || r.stdout).trim().split("\n").slice(-2).join(" ").slice(0, 300);
      throw new SetupError(`debootstrap ${suite} failed (exit ${r.code}): ${last}`);
    }
    const version = packageVersion(readFileSync(join(dir, "var/lib/dpkg/status"), "utf8"));
    if (!version) throw new SetupError(`debootstrap ${suite}: no ZooKeeper package was installed`);
    const tag = `${LOCAL_ZOOKEEPER_REPO}:${upstreamVersion(version)}-${suite}-${RECIPE}`;
    for (const t of TRIM) rmSync(join(dir, t), { recursive: true, force: true });
    writeFileSync(join(dir, "etc/zk-chaos-image"), `${tag}\n`);
    p.update("docker import", tag);
    await importRootfs(dir, tag, [
      `LABEL ${IMAGE_LINE_LABEL}=${flavour.version}`,
      `LABEL ${IMAGE_VERSION_LABEL}=${version}`,
      `LABEL ${IMAGE_RECIPE_LABEL}=${RECIPE}`,
    ]);
    return tag;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The installed version of Debian's ZooKeeper jars (libzookeeper-java), from a dpkg status file. */
export function packageVersion(dpkgStatus: string): string | null {
  for (const stanza of dpkgStatus.split(/\n\n+/)) {
    if (!/^Package: libzookeeper-java$/m.test(stanza)) continue;
    if (!/^Status: install ok installed$/m.test(stanza)) continue;
    return /^Version: (\S+)$/m.exec(stanza)?.[1] ?? null;
  }
  return null;
}

/** A Debian version's upstream part, fit for an image tag: 3.4.13-6+deb11u1 → 3.4.13, 1:3.9.3-1 → 3.9.3. */
export function upstreamVersion(debian: string): string {
  return debian
    .replace(/^\d+:/, "")
    .replace(/-[^-]*$/, "")
    .replace(/[^\w.-]/g, "_");
}

async function importRootfs(dir: string, tag: string, labels: readonly string[]): Promise<void> {
  const [repo, version] = splitTag(tag);
  const tar = spawn("tar", ["-C", dir, "-c", "."], { stdio: ["ignore", "pipe", "inherit"] });
  const stream = await docker.importImage(
    tar.stdout as unknown as string,
    {
      repo,
      tag: version,
      changes: [
        "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        `LABEL ${RUN_LABEL}.image=${tag}`,
        ...labels,
      ],
    } as object,
  );
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

export function splitTag(tag: string): [string, string] {
  const i = tag.lastIndexOf(":");
  return i > tag.lastIndexOf("/") ? [tag.slice(0, i), tag.slice(i + 1)] : [tag, "latest"];
}
