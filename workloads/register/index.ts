/**
 * register: one znode as a compare-and-set register, judged for linearizability. read = getData (after a
 * sync with `--reads sync`), write = setData, cas = read value and version, then setData on that version.
 * Plain reads may be served by a lagging follower (seed 002): ZooKeeper does not promise linearizable reads
 * (the lagging-follower nemesis makes one lag and steers reads to it).
 */
import { fileURLToPath } from "node:url";
import { withAfterHeal } from "../after-heal/with-after-heal.ts";
import { linearizable } from "../../checkers/linearizable/linearizable.ts";
import { casRegister } from "../../checkers/linearizable/models/cas-register.ts";
import { staleReads } from "../../checkers/stale-reads.ts";
import type { Random } from "../../kernel/random.ts";
import type { OpRequest, Workload } from "../workload.ts";

export const REGISTER_PATH = "/zk-chaos-register";
const VALUES = 5;

export const registerWorkload: Workload = withAfterHeal(
  {
    name: "register",
    variants: ["plain", "sync"],
    fixedVariants: ["sync"],
    defaultNemesis: "lagging-follower",
    clientModule: fileURLToPath(new URL("./client.ts", import.meta.url)),
    reads: new Set(["read"]),
    nextOp(random: Random): OpRequest {
      const r = random.next();
      if (r < 0.5) return { f: "read", value: null };
      if (r < 0.75) return { f: "write", value: random.int(0, VALUES - 1) };
      return { f: "cas", value: [random.int(0, VALUES - 1), random.int(0, VALUES - 1)] };
    },
    finalOps: () => [{ f: "read", value: null }],
    // stale-reads explains a violation read by read, naming the server behind each stale one.
    checkers: () => [linearizable(casRegister(null), { timeoutMs: 60_000 }), staleReads(null)],
  },
  { progress: ["read", "write", "cas"] },
);
