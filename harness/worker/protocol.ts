/** Messages between the harness and a worker process (Node IPC, structured clone). */
import type { OpOutcome, OpRequest } from "../../workloads/workload.ts";

export interface WorkerInit {
  type: "init";
  slot: number;
  clientModule: string;
  variant: string;
  options: Record<string, unknown>;
  driver: "zookeeper" | "node-zookeeper-client";
  connectString: string;
  sessionTimeoutMs: number;
  opTimeoutMs: number;
  resourceUrl: string;
  /** Absolute hrtime of the test's origin, as a decimal string. */
  origin: string;
  reads: string[];
  /** The servers' names in the connect string's order ("zk1", …): ops record which one served them. */
  nodes?: string[];
}

export type ToWorker =
  | WorkerInit
  | { type: "setup" }
  | { type: "invoke"; id: number; process: number; op: OpRequest }
  | { type: "close" };

export type FromWorker =
  | { type: "ready"; session: string }
  | { type: "setup-done"; error?: string }
  | { type: "invoked"; id: number; time: number }
  | {
      type: "completed";
      id: number;
      time: number;
      outcome: OpOutcome;
      session: string;
      /** The server that sent the op's last reply (else: the one connected at completion). */
      node?: string;
      /** The zxid the op's last reply told of, "0x…" (see ZxidObservation). */
      zxid?: string;
      /** Set when `zxid` is that path's mzxid rather than the reply header's zxid. */
      zxidPath?: string;
    }
  | { type: "closed" }
  | { type: "fatal"; error: string };
