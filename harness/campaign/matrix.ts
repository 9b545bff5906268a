/**
 * A campaign's matrix: workloads × variants × nemeses × seeds, expanded and checked as a whole before any
 * run starts (one BadInputError line for the first problem).
 */
import { workloadByName } from "../../workloads/index.ts";
import { BadInputError } from "../../kernel/errors.ts";
import { parseNemesisText } from "../nemesis/nemesis-syntax.ts";
import { parseZkVersions, type ZkVersion } from "../../kernel/zk-version.ts";

/** One run of the matrix. */
export interface CampaignRun {
  /** 1-based position in the matrix. */
  readonly index: number;
  readonly workload: string;
  readonly variant: string;
  /** Faults of this run (a `+`-joined entry of --nemeses gives several). */
  readonly nemesis: readonly string[];
  /** The ZooKeeper line. */
  readonly zkVersion: ZkVersion;
  readonly seed: number;
}

export interface MatrixInput {
  /** Comma list (default: lock). */
  workloads?: string | undefined;
  /** Comma list of variants (`naive`: every listed workload that has it; `lock.naive`: lock's only). */
  variants?: string | undefined;
  /** Comma list of nemesis entries, each one fault or several joined by `+` (default: partition). */
  nemeses?: string | undefined;
  /** Comma list of ZooKeeper lines (default: 3.8). */
  zkVersions?: string | undefined;
  /** Seeds per combination. */
  seeds: number;
  firstSeed: number;
}

const list = (raw: string | undefined, flag: string, fallback: string): string[] => {
  const items = (raw ?? fallback).split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw new BadInputError(`${flag} has an empty entry: '${raw}'`);
  return [...new Set(items)];
};

/** The nemesis entries of --nemeses, each as the spec's list of faults (`name` or `name:k=v,…`). */
export function parseNemeses(raw: string | undefined): string[][] {
  const entries = parseNemesisText(raw ?? "partition", "--nemeses").map((parts) => parts.map((p) => p.text));
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.join("+")) && seen.add(e.join("+")));
}

/** Each workload with the variants it runs. */
export function parseVariants(workloads: readonly string[], raw: string | undefined): Map<string, string[]> {
  const known = new Map(workloads.map((w) => [w, workloadByName(w).variants]));
  const chosen = new Map<string, string[]>(workloads.map((w) => [w, []]));
  if (raw === undefined) {
    for (const [w, vs] of known) chosen.set(w, [...vs]);
    return chosen;
  }
  for (const item of list(raw, "--variants", "")) {
    const dot = item.indexOf(".");
    if (dot >= 0) {
      const [w, v] = [item.slice(0, dot), item.slice(dot + 1)];
      const vs = known.get(w);
      if (!vs) throw new BadInputError(`--variants names ${item}, but ${w} is not in --workloads`);
      if (!vs.includes(v))
        throw new BadInputError(`workload ${w} has no variant '${v}' (variants: ${vs.join(", ")})`);
      if (!chosen.get(w)!.includes(v)) chosen.get(w)!.push(v);
      continue;
    }
    const owners = workloads.filter((w) => known.get(w)!.includes(item));
    if (owners.length === 0)
      throw new BadInputError(
        `no workload in --workloads has the variant '${item}' (${workloads.map((w) => `${w}: ${known.get(w)!.join("|")}`).join("; ")})`,
      );
    for (const w of owners) if (!chosen.get(w)!.includes(item)) chosen.get(w)!.push(item);
  }
  for (const [w, vs] of chosen)
    if (vs.length === 0)
      throw new BadInputError(
        `workload ${w} has none of the listed variants (its variants: ${known.get(w)!.join(", ")}; name one as ${w}.${known.get(w)![0]})`,
      );
  return chosen;
}

/** Expand and check the whole matrix: workload → variant → nemesis → ZooKeeper line → seed order. */
export function expandMatrix(input: MatrixInput): CampaignRun[] {
  const workloads = list(input.workloads, "--workloads", "lock");
  for (const w of workloads) workloadByName(w); // unknown workload: BadInputError
  const variants = parseVariants(workloads, input.variants);
  const nemeses = parseNemeses(input.nemeses);
  const versions = parseZkVersions(input.zkVersions);
  if (!Number.isInteger(input.seeds) || input.seeds < 1)
    throw new BadInputError(`--seeds must be a whole number ≥ 1, got '${input.seeds}'`);
  if (input.firstSeed + input.seeds - 1 > 2 ** 31 - 1)
    throw new BadInputError(`seeds ${input.firstSeed}..${input.firstSeed + input.seeds - 1} pass 2^31-1`);
  const runs: CampaignRun[] = [];
  for (const workload of workloads)
    for (const variant of variants.get(workload)!)
      for (const nemesis of nemeses)
        for (const zkVersion of versions)
          for (let i = 0; i < input.seeds; i++)
            runs.push({
              index: runs.length + 1,
              workload,
              variant,
              nemesis,
              zkVersion,
              seed: input.firstSeed + i,
            });
  return runs;
}

/** `lock.naive`: the JUnit classname and the table's first column. */
export const runClass = (r: Pick<CampaignRun, "workload" | "variant">): string =>
  `${r.workload}.${r.variant}`;
/** `partition+client-pause`, as written in --nemeses. */
export const nemesisLabel = (r: Pick<CampaignRun, "nemesis">): string => r.nemesis.join("+");
