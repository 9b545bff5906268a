/**
 * What a nemesis currently holds down (paused servers, killed servers, stopped clients), so that stop and
 * heal undo exactly that. An item is added *before* the fault is attempted, so a start that failed half-way
 * is still healed, and dropped only once it was undone: a failed undo stays held for the next heal.
 */
import type { Logger } from "pino";
import type { LinkControl } from "../../kernel/link-control.ts";
import { proxyName, type Link } from "../../kernel/links.ts";

export class Held<T> {
  private readonly items = new Set<T>();

  get size(): number {
    return this.items.size;
  }

  has(item: T): boolean {
    return this.items.has(item);
  }

  add(item: T): void {
    this.items.add(item);
  }

  /** Held items, in the order they were taken. */
  list(): T[] {
    return [...this.items];
  }

  /**
   * Undo every held item, concurrently. Undone items are dropped; if any undo failed, rejects (after trying
   * all) with an error naming them, and those stay held.
   */
  async release(undo: (item: T) => Promise<void>): Promise<T[]> {
    const items = this.list();
    const results = await Promise.allSettled(items.map((item) => undo(item)));
    const failed: string[] = [];
    results.forEach((r, i) => {
      if (r.status === "fulfilled") this.items.delete(items[i]!);
      else failed.push(`${String(items[i])}: ${String(r.reason)}`);
    });
    if (failed.length > 0) throw new Error(`could not undo ${failed.join("; ")}`);
    return items;
  }

  /** As release, but a failure is logged and never thrown (for heal). */
  async releaseQuietly(log: Logger, what: string, undo: (item: T) => Promise<void>): Promise<void> {
    await this.release(undo).catch((err: unknown) =>
      log.warn({ err: String(err) }, `heal: ${what}; continuing`),
    );
  }
}

/** The links a link nemesis has cut or slowed (or tried to), healed in one LinkControl call. */
export class HeldLinks {
  private readonly links = new Map<string, Link>();

  get size(): number {
    return this.links.size;
  }

  add(links: readonly Link[]): void {
    for (const link of links) this.links.set(proxyName(link), link);
  }

  list(): Link[] {
    return [...this.links.values()];
  }

  /** Heal every held link; they are dropped only if the heal succeeded. */
  async release(control: LinkControl): Promise<Link[]> {
    const links = this.list();
    if (links.length === 0) return links;
    await control.heal(links);
    for (const link of links) this.links.delete(proxyName(link));
    return links;
  }
}

/** Run one heal step; log a failure and carry on. Resolves true when the step succeeded. */
export async function bestEffort(log: Logger, what: string, step: () => Promise<unknown>): Promise<boolean> {
  try {
    await step();
    return true;
  } catch (err) {
    log.warn({ err: String(err) }, `heal: could not ${what}; continuing`);
    return false;
  }
}
