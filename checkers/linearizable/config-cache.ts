/**
 * Lowe's memoization for the WGL search: the set of configurations (linearized-ops bitset, state id)
 * already explored. Entries live in typed arrays (no per-entry objects): an open-addressing slot table of
 * hashes and entry numbers, and an arena of bitset words. The caller keeps the bitset's hash up to date
 * incrementally (XOR of one random word per op), so adding is O(words) only on a hash match.
 */

/** Result of {@link ConfigCache.add}. */
export const ADDED = 1;
export const PRESENT = 0;
export const FULL = -1;

export class ConfigCache {
  private slotHash: Int32Array;
  /** Entry number + 1, 0 = empty slot. */
  private slotEntry: Int32Array;
  private mask: number;
  private entryState: Int32Array;
  private arena: Uint32Array;
  private count = 0;

  constructor(
    private readonly words: number,
    /** Entries allowed before `add` answers FULL. */
    readonly maxEntries: number,
  ) {
    const cap = 1 << 10;
    this.slotHash = new Int32Array(cap);
    this.slotEntry = new Int32Array(cap);
    this.mask = cap - 1;
    this.entryState = new Int32Array(cap >> 1);
    this.arena = new Uint32Array((cap >> 1) * words);
  }

  /** Number of configurations stored. */
  get size(): number {
    return this.count;
  }

  /** Approximate bytes held. */
  get bytes(): number {
    return this.slotHash.length * 8 + this.entryState.length * 4 + this.arena.length * 4;
  }

  /** Bytes one more entry costs at most (for turning a memory budget into `maxEntries`). */
  static bytesPerEntry(words: number): number {
    return 4 * words + 4 + 16; // arena + state + two slot ints at ≥ 50% free slots
  }

  /** Add (bits, state) whose bitset hash is `bitsHash`; ADDED, PRESENT, or FULL (not added). */
  add(bitsHash: number, state: number, bits: Uint32Array): number {
    let h = (bitsHash ^ Math.imul(state + 1, 0x9e3779b1)) | 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h ^= h >>> 13;
    const words = this.words;
    const sh = this.slotHash;
    const se = this.slotEntry;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const e = se[i]!;
      if (e === 0) break;
      if (sh[i] === h && this.entryState[e - 1] === state) {
        const base = (e - 1) * words;
        const arena = this.arena;
        let same = true;
        for (let w = 0; w < words; w++) {
          if (arena[base + w] !== bits[w]) {
            same = false;
            break;
          }
        }
        if (same) return PRESENT;
      }
      i = (i + 1) & mask;
    }
    if (this.count >= this.maxEntries) return FULL;
    const n = this.count++;
    if (n >= this.entryState.length) this.growEntries();
    this.entryState[n] = state;
    this.arena.set(bits, n * words);
    sh[i] = h;
    se[i] = n + 1;
    if (this.count * 2 > sh.length) this.growSlots();
    return ADDED;
  }

  private growEntries(): void {
    const cap = this.entryState.length * 2;
    const st = new Int32Array(cap);
    st.set(this.entryState);
    this.entryState = st;
    const ar = new Uint32Array(cap * this.words);
    ar.set(this.arena);
    this.arena = ar;
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
