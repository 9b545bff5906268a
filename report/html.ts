/**
 * HTML building with escaping by default: the `html` tag escapes every interpolated value unless it is
 * already `Html`, so recorded data (znode values, error texts, names from test.json) always shows as text.
 * `raw` is for markup written in this folder only, never for data.
 */
import { createHash } from "node:crypto";

/** Markup that is safe to emit as is. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escape text for element content and quoted attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function part(v: unknown): string {
  if (v instanceof Html) return v.markup;
  if (v === null || v === undefined || v === false) return "";
  if (Array.isArray(v)) return v.map(part).join("");
  return esc(v);
}

// Prettier lays the templates out over several lines; a line break plus indentation in the literal parts is
// one space to HTML anyway (never inside <pre> here), so it is emitted as one.
const compacted = new WeakMap<TemplateStringsArray, string[]>();

function literals(strings: TemplateStringsArray): string[] {
  let c = compacted.get(strings);
  if (!c) compacted.set(strings, (c = strings.map((s) => s.replace(/\n\s*/g, " "))));
  return c;
}

/** Tagged template: literal parts as written, interpolations escaped (arrays concatenated, null/false empty). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const lit = literals(strings);
  let out = lit[0]!;
  for (let i = 0; i < values.length; i++) out += part(values[i]) + lit[i + 1]!;
  return new Html(out);
}

/** Trusted markup (built here, never from data). */
export const raw = (markup: string): Html => new Html(markup);

/** Join pieces with a separator (the separator is trusted markup). */
export function joinHtml(pieces: readonly Html[], sep = ""): Html {
  return new Html(pieces.map((p) => p.markup).join(sep));
}

/** A number for SVG coordinates: at most one decimal, no "-0". */
export function num(x: number): string {
  const r = Math.round(x * 10) / 10;
  return r === 0 ? "0" : String(r);
}

/** JSON safe inside a <script> element (no "</script>", no HTML comment openers, no line separators). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Compact JSON of recorded data for display, cut at `max` characters. */
export function compactJson(value: unknown, max = 200): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A relative link to a file in the run folder (each path segment URL-encoded). */
export function fileHref(relPath: string): string {
  return relPath.split("/").map(encodeURIComponent).join("/");
}

/**
 * The Content-Security-Policy of a generated page: nothing may be fetched (the pages are self-contained),
 * inline styles allowed, and only the page's own inline scripts, by hash — injected markup could not run.
 */
export function contentSecurityPolicy(scripts: readonly string[] = []): string {
  const hashes = scripts.map((s) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`);
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src data:",
    `script-src ${hashes.length ? hashes.join(" ") : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
