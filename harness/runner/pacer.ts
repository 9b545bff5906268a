/**
 * Spaces op dispatches to a total rate across all clients (ops/s; 0 = no limit). Callers await `next()`;
 * each gets the next free slot on a shared schedule.
 */
export class Pacer {
  private nextAt = performance.now();

  constructor(private readonly rate: number) {}

  async next(): Promise<void> {
    if (this.rate <= 0) return;
    const now = performance.now();
    // Never bank more than a second of missed slots: after a stall the rate resumes, it does not burst.
    this.nextAt = Math.max(this.nextAt, now - 1000) + 1000 / this.rate;
    const wait = this.nextAt - now;
    if (wait > 0) await sleep(wait);
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
