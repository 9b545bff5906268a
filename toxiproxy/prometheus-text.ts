/** The Prometheus text exposition format (0.0.4), which GET /metrics serves as promhttp does. */

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export interface Sample {
  /** Label names in the order to print them (client_golang prints them sorted by name). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge";
  readonly samples: readonly Sample[];
}

/** A label value between double quotes: backslash, double quote and newline are escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

/** HELP text: backslash and newline are escaped (a quote is not, per the format). */
export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === "\n" ? "\\n" : "\\\\"));
}

function formatValue(value: number): string {
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value); // NaN prints as "NaN", which the format accepts
}

/** Families in the given order; one with no samples is left out, as client_golang's registry does. */
export function renderFamilies(families: readonly MetricFamily[]): string {
  let out = "";
  for (const family of families) {
    if (family.samples.length === 0) continue;
    out += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
    for (const { labels, value } of family.samples) {
      const pairs = labels
        ? Object.entries(labels).map(([name, v]) => `${name}="${escapeLabelValue(v)}"`)
        : [];
      out += `${family.name}${pairs.length > 0 ? `{${pairs.join(",")}}` : ""} ${formatValue(value)}\n`;
    }
  }
  return out;
}
