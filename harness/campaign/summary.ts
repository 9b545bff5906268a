/** The table a campaign prints at the end: one row per run, then the counts. */
import { notValid } from "./evidence.ts";
import { nemesisLabel, runClass } from "./matrix.ts";
import { shownPath } from "../runner/command-line.ts";
import type { RunRecord } from "./record.ts";
import { countVerdicts } from "./verdict.ts";
import { linesDisagree } from "../../kernel/lines-disagree.ts";

const HEAD = [
  "#",
  "run",
  "nemesis",
  "zk",
  "seed",
  "verdict",
  "first",
  "time",
  "ops",
  "not valid / error",
  "results",
];

/** One line per run under a header, columns padded; the last line counts the verdicts. */
export function summaryTable(records: readonly RunRecord[], cwd = process.cwd()): string {
  const rows = records.map((r) => [
    String(r.run.index),
    runClass(r.run),
    nemesisLabel(r.run),
    // The release the servers reported (3.4.13; Debian's builds add a suffix), else the line asked for.
    r.zookeeperVersion?.replace(/-.*$/, "") ?? r.run.zkVersion,
    String(r.run.seed),
    r.verdict === "invalid" ? "INVALID" : r.verdict,
    r.firstViolationS !== undefined ? `${r.firstViolationS.toFixed(1)}s` : "-",
    r.verdict === "skipped" ? "-" : `${Math.round(r.seconds)}s`,
    typeof r.stats?.["ops"] === "number" ? String(r.stats["ops"]) : "-",
    r.verdict === "crashed" ? oneLine(r.error ?? "", 60) : notValid(r.checkers ?? {}).join(",") || "-",
    r.dir ? shownPath(r.dir, cwd) : "-",
  ]);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const c = countVerdicts(records.map((r) => r.verdict));
  const counts = (Object.keys(c) as (keyof typeof c)[])
    .filter((k) => c[k] > 0 || k === "valid" || k === "invalid")
    .map((k) => `${c[k]} ${k}`)
    .join(", ");
  const firsts = records.flatMap((r) => (r.firstViolationS !== undefined ? [r.firstViolationS] : []));
  const median = firsts.length ? ` (first violation: median ${medianOf(firsts).toFixed(1)}s)` : "";
  return [
    line(HEAD),
    ...rows.map(line),
    `${records.length} runs: ${counts}${median}`,
    ...versionLines(records),
    "",
  ].join("\n");
}

const word = (v: RunRecord["verdict"]): string => (v === "invalid" ? "INVALID" : v);

/**
 * Where a campaign ran several ZooKeeper lines: each cell (run and nemesis) with its verdicts per line, seeds
 * in order, the cells whose lines disagree first and marked ≠. Empty for a campaign of one line.
 */
export function versionLines(records: readonly RunRecord[]): string[] {
  const versions = [...new Set(records.map((r) => r.run.zkVersion))];
  if (versions.length < 2) return [];
  const cells = new Map<string, Map<string, RunRecord[]>>();
  for (const r of records) {
    const cell = `${runClass(r.run)} ${nemesisLabel(r.run)}`;
    const byVersion = cells.get(cell) ?? new Map<string, RunRecord[]>();
    cells.set(cell, byVersion);
    byVersion.set(r.run.zkVersion, [...(byVersion.get(r.run.zkVersion) ?? []), r]);
  }
  const lines = [...cells].map(([cell, byVersion]) => {
    const perLine = versions.map((v) =>
      (byVersion.get(v) ?? []).sort((a, b) => a.run.seed - b.run.seed).map((r) => word(r.verdict)),
    );
    const verdicts = perLine.map((ws) => ws.join(" "));
    const differs = linesDisagree(perLine);
    const text = versions.map((v, i) => `${v}: ${verdicts[i] || "-"}`).join(" | ");
    return { differs, text: `${differs ? "≠" : "="} ${cell}  ${text}` };
  });
  const differing = lines.filter((l) => l.differs).length;
  return [
    `by ZooKeeper version (verdicts per seed; ≠: the lines disagree): ${differing} of ${lines.length} cells differ`,
    ...lines.filter((l) => l.differs).map((l) => l.text),
    ...lines.filter((l) => !l.differs).map((l) => l.text),
  ];
}

function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const oneLine = (s: string, n: number): string => {
  const l = s.replace(/\s+/g, " ").trim();
  return l.length > n ? `${l.slice(0, n - 1)}…` : l;
};
