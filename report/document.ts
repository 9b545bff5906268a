/**
 * The page every zk-chaos HTML file is (a run's report, the results index, a `serve` folder listing): one
 * self-contained document whose Content-Security-Policy lets nothing load and only its own inline scripts
 * run, and how such a file is written (replaced at once, never half-written).
 */
import { renameSync, writeFileSync } from "node:fs";
import { contentSecurityPolicy, html, type Html } from "./html.ts";
import { PAGE_CSS } from "./style.ts";

/** A whole page: `title` is escaped, `body` is already markup, `scripts` run after it (and only they may). */
export function htmlDocument(page: { title: string; body: Html; scripts?: readonly string[] }): string {
  const scripts = page.scripts ?? [];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(scripts)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="zk-chaos">
<title>${html`${page.title}`}</title>
<style>${PAGE_CSS}</style>
</head><body>${page.body}${scripts.map((s) => `<script>${s}</script>`).join("")}</body></html>
`;
}

/** Write `text` to `file` through a temporary file and a rename: a reader never sees half a page. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
