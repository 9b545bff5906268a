import { writeFileSync } from "node:fs";
import type { RunStore } from "./store.ts";
import type { TestSpec } from "./test-spec.ts";

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * A small self-contained report.html: verdict, spec and repro command, each checker's result, links to the
 * raw files. (The full report with timelines and plots is report/'s job.)
 */
export function writeMinimalReport(
  store: RunStore,
  spec: TestSpec,
  results: { valid: unknown; checkers: Record<string, unknown>; stats: unknown },
): void {
  const verdict = results.valid === true ? "VALID" : results.valid === false ? "INVALID" : "UNKNOWN";
  const color = results.valid === true ? "#1a7f37" : results.valid === false ? "#cf222e" : "#9a6700";
  const checkers = Object.entries(results.checkers)
    .map(([name, r]) => {
      const valid = (r as { valid?: unknown }).valid;
      return `<section><h2>${escapeHtml(name)}: ${escapeHtml(String(valid))}</h2><pre>${escapeHtml(
        JSON.stringify(r, null, 2).slice(0, 200_000),
      )}</pre></section>`;
    })
    .join("\n");
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>zk-chaos ${escapeHtml(spec.workload)}-${escapeHtml(spec.variant)} ${verdict}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}.banner{color:#fff;background:${color};padding:.8em 1.2em;font-size:1.5em;border-radius:6px}pre{background:#f6f8fa;padding:1em;overflow:auto;max-height:40em}</style></head>
<body><div class="banner">${verdict}: ${escapeHtml(spec.workload)} --variant ${escapeHtml(spec.variant)} · nemesis ${escapeHtml(spec.nemesis.join(","))} · seed ${spec.seed}</div>
<p>Reproduce: <code>npx zk-chaos repro ${escapeHtml(store.dir)}</code></p>
<h2>Spec</h2><pre>${escapeHtml(JSON.stringify(spec, null, 2))}</pre>
<h2>Stats</h2><pre>${escapeHtml(JSON.stringify(results.stats, null, 2))}</pre>
${checkers}
<p>Files: <a href="history.jsonl">history.jsonl</a> · <a href="results.json">results.json</a> · <a href="harness.log">harness.log</a> · <a href="resource.jsonl">resource.jsonl</a> · <a href="nodes/">server logs</a></p>
</body></html>
`;
  writeFileSync(store.path("report.html"), html);
}
