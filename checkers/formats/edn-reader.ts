/**
 * A small EDN reader, enough for Jepsen histories: nil, booleans, integers (incl. N / M suffixes), floats,
 * strings, characters, keywords, symbols, vectors, lists, maps, sets, `#tag value` (the tag is dropped:
 * `#jepsen.history.Op{…}` reads as its map), `#_` discards, `;` comments, commas as whitespace.
 * Keywords read as {@link Keyword}; the caller decides what they become. Any malformed input throws
 * {@link EdnSyntaxError} with a line number; nesting deeper than 512 levels and numbers longer than 1000
 * characters are malformed too (bounded stack and time).
 */

/** An EDN keyword (`:read`, `:jepsen/op`); `name` is without the colon. */
export class Keyword {
  constructor(readonly name: string) {}
  toString(): string {
    return `:${this.name}`;
  }
}

/** An EDN symbol (rare in histories); kept as its name. */
export class EdnSymbol {
  constructor(readonly name: string) {}
}

/** A value read from EDN. Maps are `Map`s (keys may be any value), sets are `Set`s, lists and vectors arrays. */
export type EdnValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Keyword
  | EdnSymbol
  | EdnValue[]
  | Map<EdnValue, EdnValue>
  | Set<EdnValue>;

/** Malformed EDN at `line`; `eof` when the text ended inside a form. */
export class EdnSyntaxError extends Error {
  override readonly name = "EdnSyntaxError";
  constructor(
    message: string,
    readonly line: number,
    readonly eof = false,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 512;
const MAX_NUMBER_LENGTH = 1000;
const DELIMS = new Set(["(", ")", "[", "]", "{", "}", '"', ";", ","]);
const isWs = (c: string): boolean =>
  c === " " || c === "," || c === "\n" || c === "\t" || c === "\r" || c === "\f";

/** A cursor over EDN text: read forms one at a time, with the line each started on. */
export class EdnReader {
  private pos = 0;
  /** 1-based line of the cursor. */
  line = 1;

  constructor(private readonly text: string) {}

  /** Skip whitespace, commas and comments; true when nothing but those remains. */
  atEnd(): boolean {
    this.skip();
    return this.pos >= this.text.length;
  }

  /** Next significant character without consuming it ("" at the end). */
  peek(): string {
    this.skip();
    return this.text[this.pos] ?? "";
  }

  /** Consume one character (after skipping whitespace). */
  take(): string {
    this.skip();
    const c = this.text[this.pos] ?? "";
    if (c === "\n") this.line++;
    this.pos++;
    return c;
  }

  /** Skip `#_ form` discards (and whitespace) before a peek. */
  skipDiscards(depth = 0): void {
    this.skip();
    while (this.text[this.pos] === "#" && this.text[this.pos + 1] === "_") {
      this.pos += 2;
      this.form(depth + 1);
      this.skip();
    }
  }

  /** Read the next form. */
  read(): EdnValue {
    return this.form(0);
  }

  private skip(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === undefined) return;
      if (c === ";") {
        while (this.pos < t.length && t[this.pos] !== "\n") this.pos++;
      } else if (isWs(c)) {
        if (c === "\n") this.line++;
        this.pos++;
      } else return;
    }
  }

  private fail(message: string, eof = false): never {
    throw new EdnSyntaxError(message, this.line, eof);
  }

  private form(depth: number): EdnValue {
    if (depth > MAX_DEPTH) this.fail("nesting too deep");
    // `#_ x` discards: a loop, so a long run of them does not grow the stack
    this.skipDiscards(depth);
    const t = this.text;
    const c = t[this.pos];
    if (c === undefined) this.fail("unexpected end of input", true);
    switch (c) {
      case "[":
        this.pos++;
        return this.seq("]", depth);
      case "(":
        this.pos++;
        return this.seq(")", depth);
      case "{": {
        this.pos++;
        const items = this.seq("}", depth);
        if (items.length % 2 !== 0) this.fail("map with an odd number of forms");
        const m = new Map<EdnValue, EdnValue>();
        for (let i = 0; i < items.length; i += 2) m.set(items[i]!, items[i + 1]!);
        return m;
      }
      case "]":
      case ")":
      case "}":
        this.fail(`unexpected '${c}'`);
      // falls through (fail never returns)
      case '"':
        return this.string();
      case "#":
        return this.dispatch(depth);
      case "\\":
        return this.char();
      default:
        return this.atom();
    }
  }

  private seq(close: string, depth: number): EdnValue[] {
    const out: EdnValue[] = [];
    const opened = this.line;
    for (;;) {
      this.skip();
      const c = this.text[this.pos];
      if (c === undefined) throw new EdnSyntaxError(`missing '${close}'`, opened, true);
      if (c === close) {
        this.pos++;
        return out;
      }
      if (c === "#" && this.text[this.pos + 1] === "_") {
        this.pos += 2;
        this.form(depth + 1);
        continue;
      }
      out.push(this.form(depth + 1));
    }
  }

  private dispatch(depth: number): EdnValue {
    const t = this.text;
    const n = t[this.pos + 1];
    if (n === "{") {
      this.pos += 2;
      return new Set(this.seq("}", depth));
    }
    if (n === undefined || isWs(n) || DELIMS.has(n)) this.fail("bad '#' dispatch");
    this.pos++;
    const tag = this.token();
    if (!/^[A-Za-z]/.test(tag)) this.fail(`bad tag #${tag}`);
    return this.form(depth + 1); // tagged literal: keep the value, drop the tag
  }

  private token(): string {
    const t = this.text;
    const start = this.pos;
    while (this.pos < t.length) {
      const c = t[this.pos]!;
      if (isWs(c) || DELIMS.has(c)) break;
      this.pos++;
    }
    return t.slice(start, this.pos);
  }

  private string(): string {
    const t = this.text;
    const opened = this.line;
    this.pos++; // opening quote
    let out = "";
    let start = this.pos;
    for (;;) {
      const c = t[this.pos];
      if (c === undefined) throw new EdnSyntaxError("unterminated string", opened, true);
      if (c === '"') {
        out += t.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c === "\n") this.line++;
      if (c === "\\") {
        out += t.slice(start, this.pos);
        const e = t[this.pos + 1];
        this.pos += 2;
        switch (e) {
          case "n":
            out += "\n";
            break;
          case "t":
            out += "\t";
            break;
          case "r":
            out += "\r";
            break;
          case '"':
          case "\\":
            out += e;
            break;
          case "u": {
            const hex = t.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("bad \\u escape in string");
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          case undefined:
            this.fail("unterminated string", true);
          // falls through (fail never returns)
          default:
            this.fail(`bad escape \\${e} in string`);
        }
        start = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private char(): string {
    this.pos++; // backslash
    const t = this.text;
    const first = t[this.pos];
    if (first === undefined) this.fail("unexpected end of input after '\\'", true);
    this.pos++;
    let name = first;
    while (this.pos < t.length && !isWs(t[this.pos]!) && !DELIMS.has(t[this.pos]!)) name += t[this.pos++];
    const named: Record<string, string> = { newline: "\n", space: " ", tab: "\t", return: "\r" };
    if (name.length === 1) return name;
    const known = named[name];
    if (known !== undefined) return known;
    if (/^u[0-9a-fA-F]{4}$/.test(name)) return String.fromCharCode(parseInt(name.slice(1), 16));
    this.fail(`bad character literal \\${name}`);
  }

  private atom(): EdnValue {
    const tok = this.token();
    if (tok === "") this.fail(`unexpected '${this.text[this.pos]}'`);
    if (tok === "nil") return null;
    if (tok === "true") return true;
    if (tok === "false") return false;
    if (tok[0] === ":") {
      if (tok.length === 1 || tok === "::") this.fail("empty keyword");
      return new Keyword(tok.slice(tok[1] === ":" ? 2 : 1));
    }
    const c0 = tok[0]!;
    if ((c0 >= "0" && c0 <= "9") || ((c0 === "-" || c0 === "+") && /^[+-][0-9]/.test(tok)))
      return this.number(tok);
    if (/^[^0-9]/.test(tok)) return new EdnSymbol(tok);
    this.fail(`bad token ${JSON.stringify(tok.slice(0, 40))}`);
  }

  private number(tok: string): number | bigint {
    // BigInt parsing is quadratic: no history needs an integer this long
    if (tok.length > MAX_NUMBER_LENGTH) this.fail(`number too long (${tok.length} characters)`);
    let m = /^([+-]?)(0|[1-9][0-9]*)(N?)$/.exec(tok);
    if (m) {
      const big = BigInt(`${m[1]}${m[2]}`);
      const n = Number(big);
      return Number.isSafeInteger(n) ? n : big;
    }
    m = /^[+-]?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?M?$/.exec(tok);
    if (m) return Number(tok.replace(/M$/, ""));
    m = /^([+-]?[0-9]+)\/([0-9]+)$/.exec(tok); // ratio
    if (m && Number(m[2]) !== 0) return Number(m[1]) / Number(m[2]);
    this.fail(`bad number ${JSON.stringify(tok.slice(0, 40))}`);
  }
}

/** The value under keyword key `:name` in a map read by this reader (keywords are not interned: linear scan). */
export function getKw(m: Map<EdnValue, EdnValue>, name: string): EdnValue | undefined {
  for (const [k, v] of m) if (k instanceof Keyword && k.name === name) return v;
  return undefined;
}

/** Read every top-level form of `text`. */
export function readAllEdn(text: string): EdnValue[] {
  const r = new EdnReader(text);
  const out: EdnValue[] = [];
  while (!r.atEnd()) out.push(r.read());
  return out;
}

/**
 * Plain JSON-ish data from EDN: keywords and symbols become their names, sets and lists arrays, maps
 * objects (non-string keys by their EDN-ish text), bigints beyond 2^53 decimal strings.
 */
export function toPlain(v: EdnValue): unknown {
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Keyword || v instanceof EdnSymbol) return v.name;
  if (Array.isArray(v)) return v.map(toPlain);
  if (v instanceof Set) return [...v].map(toPlain);
  const o: Record<string, unknown> = {};
  for (const [k, x] of v) {
    const key =
      k instanceof Keyword || k instanceof EdnSymbol
        ? k.name
        : typeof k === "string"
          ? k
          : JSON.stringify(toPlain(k));
    o[key] = toPlain(x);
  }
  return o;
}
