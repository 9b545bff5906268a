/**
 * Which iptables the dockerd we start ourselves uses. Docker edits a few iptables rules one `iptables` exec
 * at a time for every published port, at container start and again at removal; with the nf_tables backend
 * each edit costs about 9 ms here, with the legacy backend about 1 ms (a proxied 3-node ensemble's
 * teardown, measured while each container was still on two networks: 3.0 s -> 0.9 s). So a dockerd started by zk-chaos gets legacy iptables first on its PATH, where
 * the kernel has legacy tables and no dockerd has set up its chains in nf_tables since boot: chains left in
 * nf_tables (a FORWARD policy of DROP among them) would drop the new engine's bridged traffic.
 */
import { mkdirSync, symlinkSync, rmSync } from "node:fs";
import { join } from "node:path";
import { execFile } from "../kernel/exec.ts";

/** The commands dockerd runs, each with its legacy twin (Debian's iptables package ships both). */
const LEGACY: readonly [string, string][] = [
  ["iptables", "iptables-legacy"],
  ["iptables-save", "iptables-legacy-save"],
  ["iptables-restore", "iptables-legacy-restore"],
  ["ip6tables", "ip6tables-legacy"],
  ["ip6tables-save", "ip6tables-legacy-save"],
  ["ip6tables-restore", "ip6tables-legacy-restore"],
];

/** Where the links to the legacy commands live; dockerd resolves `iptables` there for as long as it runs. */
const LEGACY_IPTABLES_DIR = "/var/lib/zk-chaos/iptables-legacy";

export interface IptablesFacts {
  /** `iptables-legacy -t nat -S` succeeded: the binary exists and the kernel has legacy tables. */
  readonly legacyWorks: boolean;
  /** nf_tables already holds Docker's chains (a dockerd ran with the nft backend since boot). */
  readonly nftHasDockerChains: boolean;
}

/** The decision, from the facts: legacy only where it works and nothing of Docker's is in nf_tables. */
export function useLegacyIptables(f: IptablesFacts): boolean {
  return f.legacyWorks && !f.nftHasDockerChains;
}

/** Read the facts off this machine (root only: both commands read the kernel's tables). */
async function iptablesFacts(): Promise<IptablesFacts> {
  const ok = async (file: string, args: string[]) =>
    (await execFile(file, args).catch(() => null))?.code === 0;
  const [legacyWorks, nftHasDockerChains] = await Promise.all([
    ok("iptables-legacy", ["-t", "nat", "-S"]),
    ok("iptables-nft", ["-t", "filter", "-S", "DOCKER"]),
  ]);
  return { legacyWorks, nftHasDockerChains };
}

/**
 * The PATH for a dockerd we start: legacy iptables first when `useLegacyIptables` says so, else the given
 * PATH unchanged. Returns which backend dockerd will use.
 */
export async function dockerdPath(path: string): Promise<{ path: string; iptables: "legacy" | "default" }> {
  if (!useLegacyIptables(await iptablesFacts())) return { path, iptables: "default" };
  mkdirSync(LEGACY_IPTABLES_DIR, { recursive: true });
  for (const [name, legacy] of LEGACY) {
    const link = join(LEGACY_IPTABLES_DIR, name);
    rmSync(link, { force: true });
    symlinkSync(`/usr/sbin/${legacy}`, link);
  }
  return { path: `${LEGACY_IPTABLES_DIR}:${path}`, iptables: "legacy" };
}
