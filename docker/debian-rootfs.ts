import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SetupError } from "../kernel/errors.ts";
import { onPath } from "../kernel/exec.ts";
import { execFile } from "../kernel/exec.ts";
import type { Progress } from "../kernel/progress.ts";
import { aptInstall, docker } from "./engine.ts";
import { DEBIAN_MIRROR, DEBIAN_PACKAGES, DEBIAN_SUITE, RUN_LABEL } from "./versions.ts";

/** Paths trimmed from the rootfs: documentation and caches nothing at run time reads. */
const TRIM = [
  "usr/share/doc",
  "usr/share/man",
  "usr/share/info",
  "var/cache/apt/archives",
  "var/lib/apt/lists",
];

/**
 * Build a Debian rootfs with debootstrap and `docker import` it as `tag`. Used where no registry can be
 * reached; about a minute on a warm mirror.
 */
export async function buildDebianImage(tag: string, p: Progress): Promise<void> {
  if (process.getuid?.() !== 0) throw new SetupError("building the local image needs root (debootstrap)");
  if (!(await onPath("debootstrap"))) {
    p.update("installing debootstrap");
    await aptInstall(["debootstrap"]);
  }
  const dir = mkdtempSync(join(tmpdir(), "zk-chaos-rootfs-"));
  try {
    let steps = 0;
    const r = await execFile(
      "debootstrap",
      ["--variant=minbase", `--include=${DEBIAN_PACKAGES.join(",")}`, DEBIAN_SUITE, dir, DEBIAN_MIRROR],
      {
        onLine: (line) => {
          const m = /^I: (Retrieving|Validating|Unpacking|Configuring|Extracting|Installing)\s*(.*)$/.exec(
            line,
          );
          if (m) p.update(`debootstrap ${DEBIAN_SUITE}: ${m[1]!.toLowerCase()}`, `${++steps} steps, ${m[2]}`);
        },
      },
    );
    if (r.code !== 0) {
      const last = (r.stderr || r.stdout).trim().split("\n").slice(-2).join(" ").slice(0, 300);
      throw new SetupError(`debootstrap failed (exit ${r.code}): ${last}`);
    }
    for (const t of TRIM) rmSync(join(dir, t), { recursive: true, force: true });
    writeFileSync(join(dir, "etc/zk-chaos-image"), `${tag}\n`);
    p.update("docker import", tag);
    await importRootfs(dir, tag);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function importRootfs(dir: string, tag: string): Promise<void> {
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
