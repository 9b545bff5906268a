import type { Op } from "../../kernel/op.ts";

/**
 * `writers` concurrent writes that never return (info), then `reads` sequential reads of pseudo-random
 * written values and a last read no order explains: the search must rule out ever more subsets of writes.
 */
export function pathological(writers: number, reads: number): Op[] {
  const h: Omit<Op, "index">[] = [];
  let t = 0;
  for (let p = 0; p < writers; p++) h.push({ process: p, type: "invoke", f: "write", value: p, time: t++ });
  for (let p = 0; p < writers; p++) h.push({ process: p, type: "info", f: "write", value: p, time: t++ });
  let x = 12345;
  for (let r = 0; r < reads; r++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    h.push({ process: writers, type: "invoke", f: "read", value: null, time: t++ });
    h.push({ process: writers, type: "ok", f: "read", value: r === reads - 1 ? 0 : x % writers, time: t++ });
  }
  return h.map((o, index) => ({ ...o, index }) as Op);
}
