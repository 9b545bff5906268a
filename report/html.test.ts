import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  compactJson,
  contentSecurityPolicy,
  esc,
  fileHref,
  html,
  joinHtml,
  jsonForScript,
  num,
  raw,
} from "./html.ts";

describe("html escaping", () => {
  it("escapes every interpolated value, and only those", () => {
    const v = `<script>alert("x")</script>&'`;
    expect(html`<p title="${v}">${v}</p>`.markup).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
  });

  it("keeps Html as is, concatenates arrays, drops null, undefined and false", () => {
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`${inner}${[inner, "<"]}${null}${undefined}${false}${0}`.markup).toBe(
      "<b>&lt;i&gt;</b><b>&lt;i&gt;</b>&lt;0",
    );
    expect(joinHtml([raw("<a>"), raw("<b>")], "<hr>").markup).toBe("<a><hr><b>");
  });

  it("esc turns objects into text, never markup", () => {
    expect(esc({ toString: () => "<x>" })).toBe("&lt;x&gt;");
  });

  it("JSON inside a script cannot close the element or open a comment", () => {
    const s = jsonForScript({ a: "</script><!--\u2028" });
    expect(s).not.toMatch(/[<>]/);
    expect(JSON.parse(s)).toEqual({ a: "</script><!--\u2028" });
  });

  it("formats numbers, cuts long JSON and encodes file links", () => {
    expect(num(1.26)).toBe("1.3");
    expect(num(-0.01)).toBe("0");
    expect(compactJson({ a: "x".repeat(50) }, 10)).toHaveLength(10);
    expect(compactJson(undefined)).toBe("undefined");
    expect(fileHref("nodes/zk 1<.log")).toBe("nodes/zk%201%3C.log");
    expect(fileHref("javascript:alert(1)")).toBe("javascript%3Aalert(1)");
  });

  it("the CSP forbids fetching and allows only the given scripts, by hash", () => {
    expect(contentSecurityPolicy()).toContain("default-src 'none'");
    expect(contentSecurityPolicy()).toContain("script-src 'none'");
    const hash = createHash("sha256").update("x()").digest("base64");
    expect(contentSecurityPolicy(["x()"])).toContain(`script-src 'sha256-${hash}'`);
  });
});
