/**
 * Waiting for the next event of a kind, with a timeout: `next(ms)` resolves with the next value `emit`ted,
 * or null when the time is up or the source closes. Aimed faults wait this way for a lock holder to enter
 * or a write to be sent.
 */
export class NextEvent<T> {
  private waiters: { resolve: (v: T | null) => void; timer: ReturnType<typeof setTimeout> }[] = [];

  next(timeoutMs: number): Promise<T | null> {
    return new Promise((resolve) => {
      const waiter = {
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(null);
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Wake every waiter with `value`. */
  emit(value: T): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(value);
    }
  }

  /** Stop waiting (end of the run): pending waits resolve with null. */
  close(): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(null);
    }
  }
}
