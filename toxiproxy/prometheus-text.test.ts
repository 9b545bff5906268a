import { describe, expect, it } from "vitest";
import { escapeHelp, escapeLabelValue, renderFamilies } from "./prometheus-text.ts";

describe("Prometheus text format", () => {
  it("escapes backslash, double quote and newline in label values, and backslash and newline in HELP", () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(escapeLabelValue("plain [::]:8666")).toBe("plain [::]:8666");
    expect(escapeHelp('say "hi"\\\n')).toBe('say "hi"\\\\\\n');
  });

  it("writes HELP and TYPE per family, then one line per sample; empty families are left out", () => {
    const text = renderFamilies([
      {
        name: "c_total",
        help: "A counter.",
        type: "counter",
        samples: [
          { labels: { direction: "upstream", proxy: 'p"1' }, value: 3 },
          { labels: { direction: "downstream", proxy: "p2" }, value: 1e21 },
        ],
      },
      { name: "empty", help: "Nothing yet.", type: "counter", samples: [] },
      { name: "g", help: "A gauge.", type: "gauge", samples: [{ value: 0.5 }, { value: Infinity }] },
    ]);
    expect(text).toBe(
      [
        "# HELP c_total A counter.",
        "# TYPE c_total counter",
        'c_total{direction="upstream",proxy="p\\"1"} 3',
        'c_total{direction="downstream",proxy="p2"} 1e+21',
        "# HELP g A gauge.",
        "# TYPE g gauge",
        "g 0.5",
        "g +Inf",
        "",
      ].join("\n"),
    );
  });
});
