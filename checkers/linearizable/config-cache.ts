/**
 * Lowe's memoization for the WGL search: the set of configurations (which ops are linearized, state id)
 * already explored. A configuration is stored by its frontier key (see search.ts: the first unlinearized
 * return and the unlinearized calls before it), which stands for the whole linearized set but holds only
 * the ops in flight there — a few ints for a history of any length, where a bitset would grow with it.
 * Entries live in typed arrays (no per-entry objects): an open-addressing slot table of hashes and entry
 * numbers, and an arena of keys. The caller keeps the configuration's hash up to date incrementally (XOR of
 * one random word per op), so adding compares keys only on a hash match.
 */

/** Result of {@link ConfigCache.add}. */
export const ADDED = 1;
export const PRESENT = 0;
export const FULL = -1;

const INITIAL_SLOTS = 1 << 10;

export class ConfigCache {
  private slotHash = new Int32Array(INITIAL_SLOTS);
  /** Entry number + 1, 0 = empty slot. */
  private slotEntry = new Int32Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  private entryState = new Int32Array(INITIAL_SLOTS >> 1);
  /** Where each entry's key starts in the arena; entry e ends where e + 1 starts (or at `used`). */
  private entryStart = new Int32Array(INITIAL_SLOTS >> 1);
  private arena = new Int32Array(INITIAL_SLOTS * 4);
  private used = 0;
  private count = 0;

  constructor(
    /** Bytes the cache may hold; an add that would grow it past them answers FULL. */
    readonly maxBytes: number,
  ) {}

  /** Number of configurations stored. */
  get size(): number {
    return this.count;
  }

  /** Bytes held. */
  get bytes(): number {
    return (
      (this.slotHash.length + this.slotEntry.length + this.entryState.length + this.entryStart.length) * 4 +
      this.arena.length * 4
    );
  }

  /** Add (key[0..len), state) whose hash is `hash`; ADDED, PRESENT, or FULL (not added). */
  add(hash: number, state: number, key: Int32Array, len: number): number {
    let h = (hash ^ Math.imul(state + 1, 0x9e3779b1)) | 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h ^= h >>> 13;
    const sh = this.slotHash;
    const se = this.slotEntry;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const e = se[i]!;
      if (e === 0) break;
      if (sh[i] === h && this.entryState[e - 1] === state && this.sameKey(e - 1, key, len)) return PRESENT;
      i = (i + 1) & mask;
    }
    if (!this.reserve(len)) return FULL;
    const n = this.count++;
    this.entryState[n] = state;
    this.entryStart[n] = this.used;
    this.arena.set(key.subarray(0, len), this.used);
    this.used += len;
    sh[i] = h;
    se[i] = n + 1;
    if (this.count * 2 > sh.length) this.growSlots();
    return ADDED;
  }

  private sameKey(e: number, key: Int32Array, len: number): boolean {
    const start = this.entryStart[e]!;
    const end = e + 1 < this.count ? this.entryStart[e + 1]! : this.used;
    if (end - start !== len) return false;
    const arena = this.arena;
    for (let k = 0; k < len; k++) if (arena[start + k] !== key[k]) return false;
    return true;
  }

  /** Room for one more entry of `len` ints (and the slot table's next doubling), within maxBytes. */
  private reserve(len: number): boolean {
    const entries = this.entryState.length;
    const needEntries = this.count + 1 > entries;
    const needArena = this.used + len > this.arena.length;
    const needSlots = (this.count + 1) * 2 > this.slotHash.length;
    if (!needEntries && !needArena && !needSlots) return true;
    const newEntries = needEntries ? entries * 2 : entries;
    const newArena = needArena ? Math.max(this.arena.length * 2, this.used + len) : this.arena.length;
    const newSlots = needSlots ? this.slotHash.length * 2 : this.slotHash.length;
    if ((newSlots * 2 + newEntries * 2 + newArena) * 4 > this.maxBytes) return false;
    if (needEntries) {
      this.entryState = grown(this.entryState, newEntries);
      this.entryStart = grown(this.entryStart, newEntries);
    }
    if (needArena) this.arena = grown(this.arena, newArena);
    return true;
  }

  private growSlots(): void {
    const oldHash = this.slotHash;
    const oldEntry = this.slotEntry;
    const cap = oldHash.length * 2;
    const sh = new Int32Array(cap);
    const se = new Int32Array(cap);
    const mask = cap - 1;
    for (let j = 0; j < oldHash.length; j++) {
      const e = oldEntry[j]!;
      if (e === 0) continue;
      let i = oldHash[j]! & mask;
      while (se[i] !== 0) i = (i + 1) & mask;
      sh[i] = oldHash[j]!;
      se[i] = e;
    }
    this.slotHash = sh;
    this.slotEntry = se;
    this.mask = mask;
  }
}

function grown(a: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}
