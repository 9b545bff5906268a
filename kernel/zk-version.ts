/**
 * The ZooKeeper release lines a run can ask for (`--zk-version`). Pure: what each line needs (its image,
 * config and start command) is chosen in docker/zk-flavours.ts.
 */
import { BadInputError } from "./errors.ts";

export const ZK_VERSIONS = ["3.4", "3.8", "3.9"] as const;
export type ZkVersion = (typeof ZK_VERSIONS)[number];

/** What runs when no version is named: Debian bookworm's 3.8. */
export const DEFAULT_ZK_VERSION: ZkVersion = "3.8";

export const isZkVersion = (v: unknown): v is ZkVersion => ZK_VERSIONS.includes(v as ZkVersion);

/** Most observers an ensemble may have: voters and observers together stay within 9 servers (zk1..zk9). */
export const MAX_OBSERVERS = 4;

/** A comma list of lines (`--zk-versions 3.4,3.9`), checked; one BadInputError line for a bad entry. */
export function parseZkVersions(raw: string | undefined, flag = "--zk-versions"): ZkVersion[] {
  if (raw === undefined) return [DEFAULT_ZK_VERSION];
  const items = raw.split(",").map((s) => s.trim());
  for (const v of items)
    if (!isZkVersion(v))
      throw new BadInputError(`${flag}: no ZooKeeper line '${v}' (known: ${ZK_VERSIONS.join(", ")})`);
  return [...new Set(items as ZkVersion[])];
}
