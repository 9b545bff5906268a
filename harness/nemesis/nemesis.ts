/**
 * A nemesis is one kind of fault: it can start (inject, choosing exact targets), stop (heal what it
 * started) and heal (leave the cluster whole; idempotent, safe after a failed start). The runner records
 * every start and stop as an `info` op of process "nemesis" whose value is what `start`/`stop` return.
 */
import type { Cluster, Killable, Pausable } from "../../kernel/cluster.ts";
import type { CutMode, LinkControl } from "../../kernel/link-control.ts";
import type { Random } from "../../kernel/random.ts";
import type { ClientActors } from "../../kernel/resource.ts";

/** The runner's handle on the workload's client processes. */
export interface ClientControl {
  /** Client slots (0-based), one OS process each, holding one ZooKeeper session. */
  readonly slots: readonly number[];
  /** SIGSTOP the slot's worker process (a GC pause as the seeds describe). */
  pause(slot: number): Promise<void>;
  /** SIGCONT it. */
  resume(slot: number): Promise<void>;
}

export interface NemesisContext {
  readonly cluster: Cluster & Partial<Killable & Pausable & LinkControl>;
  readonly clients: ClientControl;
  readonly random: Random;
  /** Session timeout the clients asked for, ms: pauses are sized against it. */
  readonly sessionTimeoutMs: number;
  readonly partitionMode: CutMode;
  /** signal: SIGSTOP the client's process; network: blackhole the client's own links (default signal). */
  readonly clientPauseMode?: ClientPauseMode;
  /** Which client a client fault hits (default auto). */
  readonly target?: ClientTarget;
  /** Who acts at the guarded resource now; absent: nothing to aim at (random targets). */
  readonly actors?: ClientActors;
  /** Which clients have a write in flight, and on which server; absent: not tracked. */
  readonly inFlight?: InFlightOps;
}

/**
 * random: any client (seeded); holder: one inside its critical section (waiting for the next to enter);
 * leader: the client leading by the latest epoch; inflight: a client with a write awaiting its reply (what
 * lost-replies aims at); auto: what fits the fault and the workload (client pauses: holder or leader,
 * whichever the workload shows; lost replies: inflight).
 */
export type ClientTarget = "random" | "holder" | "leader" | "inflight" | "auto";
export const CLIENT_TARGETS: readonly ClientTarget[] = ["random", "holder", "leader", "inflight", "auto"];

/** A client's write invoked and not yet answered, and the server its session was last on (if known). */
export interface InFlightWrite {
  readonly slot: number;
  readonly f: string;
  readonly node?: string;
}

/** A write caught before it was sent: it goes out when released. */
export interface HeldWrite extends InFlightWrite {
  readonly node: string;
  release(): void;
}

export interface InFlightOps {
  writes(): InFlightWrite[];
  /** The next write invoked, or null after `timeoutMs`. */
  nextWrite(timeoutMs: number): Promise<InFlightWrite | null>;
  /**
   * The next write the workload aims at, on a server known, caught before it is sent and held until
   * released (a fault put in place meanwhile certainly meets it); null after `timeoutMs`.
   */
  catchNextWrite?(timeoutMs: number): Promise<HeldWrite | null>;
  /** Whether `f` is a write the workload's aimed faults are meant for (its `aimAt`; default every write). */
  aimsAt?(f: string): boolean;
}

export type ClientPauseMode = "signal" | "network";

/** What a fault's options may have to fit besides themselves: the ensemble the run starts. */
export interface EnsembleFacts {
  readonly tickTimeMs: number;
}

/** What goes in the history's `f` and `value` for a fault event. */
export interface FaultEvent {
  readonly f: string;
  readonly value: unknown;
  /**
   * How long, in ms, the fault is meant to stay in before the runner calls `stop` (e.g. a pause sized
   * against the session timeout). Absent: the runner's own interval decides.
   */
  readonly durationMs?: number;
}

export interface Nemesis {
  readonly name: string;
  /** Inject the fault; returns the event with its exact targets. Throws if the cluster cannot do it. */
  start(ctx: NemesisContext): Promise<FaultEvent>;
  /** Heal what the last start injected; returns the event. */
  stop(ctx: NemesisContext): Promise<FaultEvent>;
  /** Leave everything this nemesis may have touched healed. Idempotent; never throws. */
  heal(ctx: NemesisContext): Promise<void>;
}
