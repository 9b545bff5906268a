/**
 * The resource's door: an aimed fault can hold one access as it arrives, before the resource applies it,
 * and let it in later. client-pause holds a leader's write this way while it pauses the leader, and lets it
 * in when the leader wakes: the leader is paused between acting on ZooKeeper and writing to the resource
 * (the seeds' GC pause between check and write), and its write lands the moment it wakes, as the old
 * leader's. The sender is a real process waiting on its HTTP reply, as it would on a slow storage service.
 */
import type { ResourceRequest } from "../../kernel/resource.ts";

/** One access held at the door. */
export interface HeldAccess {
  /** Let it in. Idempotent. */
  release(): void;
}

interface Armed {
  readonly ok: (req: ResourceRequest) => boolean;
  readonly resolve: (held: HeldAccess | null) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class AccessGate {
  private armed: Armed | null = null;
  private readonly held = new Set<() => void>();
  private closed = false;

  /** Hold the next access `ok` accepts; null after `timeoutMs`, when closed, or when another hold is armed. */
  holdNext(ok: (req: ResourceRequest) => boolean, timeoutMs: number): Promise<HeldAccess | null> {
    if (this.closed || this.armed) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.armed = null;
        resolve(null);
      }, timeoutMs);
      this.armed = { ok, resolve, timer };
    });
  }

  /**
   * The server calls this before it applies `req`: null to apply it now, else a promise that resolves when
   * the access is let in.
   */
  pass(req: ResourceRequest): Promise<void> | null {
    const armed = this.armed;
    if (!armed || !armed.ok(req)) return null;
    this.armed = null;
    clearTimeout(armed.timer);
    return new Promise<void>((resolve) => {
      const release = (): void => {
        if (this.held.delete(release)) resolve();
      };
      this.held.add(release);
      armed.resolve({ release });
    });
  }

  /** Holding: an access waits at the door now. */
  get holding(): number {
    return this.held.size;
  }

  /** End of the run: no more holds, and every held access is let in (its sender gets its reply). */
  close(): void {
    this.closed = true;
    const armed = this.armed;
    this.armed = null;
    if (armed) {
      clearTimeout(armed.timer);
      armed.resolve(null);
    }
    for (const release of [...this.held]) release();
  }
}
