/**
 * Seeded pseudo-random numbers for jitter, slicing and toxicity draws: xoshiro128** seeded through
 * splitmix32 from a hash of its parts, so a stream is fully determined by (seed, proxy, connection,
 * direction, toxic) and does not depend on what other connections or toxics did meanwhile.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, seed2 = 0) {
    let s = (seed ^ Math.imul(seed2, 0x9e3779b1)) >>> 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix() || 1;
  }

  /** A stream derived from any parts (a seed, names, indices): same parts, same numbers. */
  static derive(...parts: ReadonlyArray<string | number>): Random {
    const [h1, h2] = hash64(parts.join("\u001f"));
    return new Random(h1, h2);
  }

  /** A uniform draw from [0, 1). */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result / 4294967296;
  }

  /** A uniform integer from [0, n); 0 when n ≤ 0. */
  int(n: number): number {
    return n > 0 ? Math.floor(this.next() * n) : 0;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** cyrb53-style string hash, as two 32-bit words. */
function hash64(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

/** A fresh seed for servers started without one (printed, so a run can be repeated). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
