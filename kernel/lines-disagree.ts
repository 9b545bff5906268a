/**
 * Whether ZooKeeper lines disagree on one campaign cell: the kinds of verdict each line reached differ
 * (3.4 found it invalid, 3.8 never did). How many seeds reached each kind is left out: timing alone moves
 * counts. A line with no run in the cell is no evidence either way. The campaign table and the results
 * index mark such cells ≠ by this one rule.
 */
export function linesDisagree(verdictsByLine: readonly (readonly string[])[]): boolean {
  const kinds = verdictsByLine.filter((vs) => vs.length > 0).map((vs) => [...new Set(vs)].sort().join(","));
  return new Set(kinds).size > 1;
}
