export interface PacerOptions {
  /** Told how late (ms) each dispatch that waited for its slot woke after it: a busy host shows here. */
  onLag?: (lagMs: number) => void;
  /** Milliseconds, monotonic (tests give their own). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Spaces op dispatches to a total rate across all clients (ops/s; 0 = no limit). Callers await `next()`;
 * each gets the next free slot on a shared schedule.
 */
export class Pacer {
  private readonly now: () => number;
  private nextAt: number;

  constructor(
    private readonly rate: number,
    private readonly opts: PacerOptions = {},
  ) {
    this.now = opts.now ?? (() => performance.now());
    this.nextAt = this.now();
  }

  async next(): Promise<void> {
    if (this.rate <= 0) return;
    const now = this.now();
    // Never bank more than a second of missed slots: after a stall the rate resumes, it does not burst.
    this.nextAt = Math.max(this.nextAt, now - 1000) + 1000 / this.rate;
    const slot = this.nextAt;
    const wait = slot - now;
    if (wait <= 0) return; // the caller came late (its last op was slow): not the pacer's lag
    await (this.opts.sleep ?? sleep)(wait);
    this.opts.onLag?.(Math.max(0, this.now() - slot));
  }
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
