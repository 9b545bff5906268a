/**
 * Model states interned to small integers, and a memo of transitions (state id, op) → state id.
 * The search then runs on integers only: comparing two configurations compares two ints, and for models
 * with few states (registers) `model.step` runs once per distinct (state, op) pair. For models whose states
 * rarely repeat (strings built by appends) the memo stops paying for itself and switches itself off.
 */
import { UNKNOWN } from "./model.ts";
import type { FullModel, LinOp } from "./model.ts";

/** Returned by {@link StateTable.next} when the operation cannot happen in that state. */
export const ILLEGAL = -1;

const EMPTY = -1;

/** 32-bit hash of whatever `model.hash` returned. */
function hash32(h: string | number): number {
  if (typeof h === "number") {
    if ((h | 0) === h) return h;
    h = String(h);
  }
  let x = 0x811c9dc5 | 0;
  for (let i = 0; i < h.length; i++) x = Math.imul(x ^ h.charCodeAt(i), 16777619);
  return x;
}

/** Interned states plus the step memo for one partition's operations. */
export class StateTable<S, I, O> {
  /** Interned states by id; id 0 is `model.init()`. */
  readonly states: S[] = [];
  // intern table: open addressing on the state's 32-bit hash; slot holds id + 1 (0 = empty)
  private internSlots: Int32Array;
  private internHash: Int32Array;
  private internMask: number;

  // transition memo: keys (state, op), value next state or ILLEGAL
  private keyState: Int32Array;
  private keyOp: Int32Array;
  private value: Int32Array;
  private mask: number;
  private used = 0;
  private memo = true;
  private lookups = 0;
  private hits = 0;
  /** Transitions computed with model.step (memo misses). */
  steps = 0;

  constructor(
    private readonly model: FullModel<S, I, O>,
    private readonly ops: readonly LinOp<I, O>[],
    /** 1 where the op is read-only (`model.readOnly`): its successful step keeps the state id. */
    private readonly readOnly: Uint8Array,
    /** Memo entries kept before it is flushed (it is only a memo; flushing is always safe). */
    private readonly maxMemo = 1 << 22,
  ) {
    this.internSlots = new Int32Array(1 << 10);
    this.internHash = new Int32Array(1 << 10);
    this.internMask = (1 << 10) - 1;
    const cap = 1 << 12;
    this.keyState = new Int32Array(cap).fill(EMPTY);
    this.keyOp = new Int32Array(cap);
    this.value = new Int32Array(cap);
    this.mask = cap - 1;
    this.intern(model.init());
  }

  /** Number of distinct states seen. */
  get size(): number {
    return this.states.length;
  }

  /** Bytes held in typed arrays by the memo and the intern table (the states themselves are on the JS heap). */
  get bytes(): number {
    return this.keyState.length * 12 + this.internSlots.length * 8;
  }

  /** The id of `s`, interning it if new. */
  intern(s: S): number {
    const h = hash32(this.model.hash(s));
    const slots = this.internSlots;
    const hashes = this.internHash;
    const mask = this.internMask;
    let i = Math.imul(h ^ (h >>> 16), 0x45d9f3b) & mask;
    for (;;) {
      const e = slots[i]!;
      if (e === 0) break;
      if (hashes[i] === h && this.model.equal(this.states[e - 1]!, s)) return e - 1;
      i = (i + 1) & mask;
    }
    const id = this.states.length;
    this.states.push(s);
    slots[i] = id + 1;
    hashes[i] = h;
    if ((id + 1) * 2 > slots.length) this.growIntern();
    return id;
  }

  private growIntern(): void {
    const oldSlots = this.internSlots;
    const oldHash = this.internHash;
    const cap = oldSlots.length * 2;
    const slots = new Int32Array(cap);
    const hashes = new Int32Array(cap);
    const mask = cap - 1;
    for (let j = 0; j < oldSlots.length; j++) {
      const e = oldSlots[j]!;
      if (e === 0) continue;
      const h = oldHash[j]!;
      let i = Math.imul(h ^ (h >>> 16), 0x45d9f3b) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = e;
      hashes[i] = h;
    }
    this.internSlots = slots;
    this.internHash = hashes;
    this.internMask = mask;
  }

  /** The state after `op` in state `s`, or ILLEGAL. */
  next(s: number, op: number): number {
    // read-only steps create no state, so memoizing them saves nothing
    if (!this.memo || this.readOnly[op] === 1) return this.compute(s, op);
    const mask = this.mask;
    let i = (Math.imul(s, 0x9e3779b1) ^ Math.imul(op + 1, 0x85ebca77)) >>> 0;
    i = (i ^ (i >>> 15)) & mask;
    const ks = this.keyState;
    const ko = this.keyOp;
    for (;;) {
      const k = ks[i]!;
      if (k === EMPTY) break;
      if (k === s && ko[i] === op) {
        this.hits++;
        return this.value[i]!;
      }
      i = (i + 1) & mask;
    }
    const v = this.compute(s, op);
    if (++this.lookups === 1 << 12 && this.hits < this.lookups >>> 2) {
      // states hardly repeat: the memo costs more than it saves
      this.memo = false;
      this.keyState = this.keyOp = this.value = new Int32Array(0);
      return v;
    }
    if (this.used >= this.maxMemo) {
      this.keyState.fill(EMPTY);
      this.used = 0;
    } else if ((this.used + 1) * 2 > ks.length) {
      this.grow();
    }
    this.insert(s, op, v);
    return v;
  }

  /** Lookahead (see Model.canStillRead): may read-only op `op` still succeed from state `s`? */
  canStillRead(s: number, op: number): boolean {
    const o = this.ops[op]!;
    return o.output === UNKNOWN || this.model.canStillRead!(this.states[s]!, o.input, o.output);
  }

  private compute(s: number, op: number): number {
    const o = this.ops[op]!;
    this.steps++;
    // a read-only op leaves the state as it was: only ask whether it may happen
    if (this.readOnly[op] === 1) return this.model.accepts(this.states[s]!, o.input, o.output) ? s : ILLEGAL;
    const r = this.model.step(this.states[s]!, o.input, o.output);
    return r[0] ? this.intern(r[1]) : ILLEGAL;
  }

  private insert(s: number, op: number, v: number): void {
    const mask = this.mask;
    let i = (Math.imul(s, 0x9e3779b1) ^ Math.imul(op + 1, 0x85ebca77)) >>> 0;
    i = (i ^ (i >>> 15)) & mask;
    while (this.keyState[i] !== EMPTY) i = (i + 1) & mask;
    this.keyState[i] = s;
    this.keyOp[i] = op;
    this.value[i] = v;
    this.used++;
  }

  private grow(): void {
    const ks = this.keyState;
    const ko = this.keyOp;
    const vs = this.value;
    const cap = ks.length * 2;
    this.keyState = new Int32Array(cap).fill(EMPTY);
    this.keyOp = new Int32Array(cap);
    this.value = new Int32Array(cap);
    this.mask = cap - 1;
    this.used = 0;
    for (let i = 0; i < ks.length; i++) if (ks[i] !== EMPTY) this.insert(ks[i]!, ko[i]!, vs[i]!);
  }
}
