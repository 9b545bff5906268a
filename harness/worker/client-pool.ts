/** The runner's handle on a run's clients: one session each, ops one at a time per slot. */
import type { ClientCrash } from "../../kernel/op.ts";
import type { OpOutcome, OpRequest } from "../../workloads/workload.ts";
import type { ClientControl } from "../nemesis/nemesis.ts";
import type { WorkerInit } from "./protocol.ts";

export interface Completed {
  invokeTime: number;
  time: number;
  outcome: OpOutcome;
  session: string;
  /** The server that served it, the zxid its last reply told of and, for a Stat's mzxid, the path. */
  node?: string;
  zxid?: string;
  zxidPath?: string;
  /** The client's process died on its own during this op (`info`) or before it (`fail`, not run). */
  crash?: ClientCrash;
}

/** Called when the client is about to call ZooKeeper (the invoke time). */
export type OnInvoked = (time: number) => void;

/** What every client of a run is started with; `connectString` is the shared one. */
export type ClientInit = Omit<WorkerInit, "type" | "slot">;

export interface ClientPool extends ClientControl {
  /** Open every client's session; `connectStringFor` gives a slot its own links. */
  init(base: ClientInit, timeoutMs?: number, connectStringFor?: (slot: number) => string): Promise<void>;
  /** The workload's shared set-up, run by one client. */
  setup(timeoutMs?: number): Promise<void>;
  invoke(slot: number, process: number, op: OpRequest, onInvoked: OnInvoked): Promise<Completed>;
  /** The session the slot's client holds now ("0x…"; "" before it has one). */
  session(slot: number): string;
  /** Resume what is paused, close every session; what does not close in time is killed. */
  close(timeoutMs?: number): Promise<void>;
  /** Stop every client at once (the crash path). */
  killAll(): void;
}

/** Makes the clients of a run: worker processes in the CLI, in-process fakes in the runner's tests. */
export type ClientPoolFactory = (clients: number) => ClientPool;
