/**
 * Security rules that can be read off the source: processes are started with argument arrays only (no
 * exec/execSync, no `shell: true`, no command or `sh -c` script built from values), docker exec commands are
 * arrays, the server start script takes only plain JVM options; `serve` and `toxiproxy` bind 127.0.0.1
 * unless told otherwise. (What containers get — capabilities, privileges, published ports — is checked on a
 * real ensemble in docker/security.test.ts.)
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { startScript } from "../../docker/zoo-cfg.ts";
import { serveResults } from "../../report/serve.ts";
import { buildProgram } from "./program.ts";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const DIRS = [
  "kernel",
  "harness",
  "integration",
  "docker",
  "workloads",
  "checkers",
  "report",
  "toxiproxy",
  "bench",
  "api",
  "bin",
  "examples",
];
const SHELLS = new Set(["sh", "bash", "dash", "zsh", "/bin/sh", "/bin/bash", "/usr/bin/env"]);
/** Calls that start a process with (file, args, options). */
const SPAWNERS = new Set(["spawn", "spawnSync", "execFile", "execFileSync", "fork"]);
/** child_process calls that take a shell command line: never. */
const SHELL_LINE = new Set(["exec", "execSync"]);

function sources(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e === "node_modules" || e.startsWith(".")) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(sources(p));
    else if (/\.(?:[cm]?ts|[cm]?js)$/.test(e) && !e.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

const isStringy = (n: ts.Node): boolean =>
  ts.isStringLiteralLike(n) ||
  ts.isTemplateExpression(n) ||
  (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken);
/** A value computed at run time, i.e. not a plain literal. */
const isBuilt = (n: ts.Node): boolean => !(ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n));
const nameOf = (callee: ts.Expression): string | undefined =>
  ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : undefined;

/** Problems in one file, as "file:line: what". */
function scan(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const at = (n: ts.Node, what: string) =>
    problems.push(
      `${relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${what}`,
    );
  // names bound to child_process's shell-line functions (import { exec as run } … / import * as cp …)
  const shellLine = new Set<string>();
  const cpNamespaces = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (
      ts.isImportDeclaration(n) &&
      ts.isStringLiteral(n.moduleSpecifier) &&
      /^(node:)?child_process$/.test(n.moduleSpecifier.text)
    ) {
      const b = n.importClause?.namedBindings;
      if (b && ts.isNamespaceImport(b)) cpNamespaces.add(b.name.text);
      if (n.importClause?.name) cpNamespaces.add(n.importClause.name.text);
      if (b && ts.isNamedImports(b))
        for (const el of b.elements) {
          const imported = (el.propertyName ?? el.name).text;
          if (SHELL_LINE.has(imported)) {
            shellLine.add(el.name.text);
            at(
              el,
              `imports child_process.${imported} (a shell command line): use execFile/spawn with an array`,
            );
          }
        }
    }
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      const name = nameOf(callee);
      const viaNamespace =
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        cpNamespaces.has(callee.expression.text);
      if (
        name &&
        ((ts.isIdentifier(callee) && shellLine.has(name)) || (viaNamespace && SHELL_LINE.has(name)))
      )
        at(n, `${name}() runs a shell command line`);
      // spawn(…), execFile(…) (ours or node's), cp.spawn(…) — not other objects' methods (random.fork)
      if (name && SPAWNERS.has(name) && (ts.isIdentifier(callee) || viaNamespace)) {
        const [file, args] = n.arguments;
        for (const a of n.arguments)
          if (ts.isObjectLiteralExpression(a))
            for (const p of a.properties)
              if (
                ts.isPropertyAssignment(p) &&
                p.name.getText(sf) === "shell" &&
                p.initializer.kind !== ts.SyntaxKind.FalseKeyword
              )
                at(p, `${name}() with shell: ${p.initializer.getText(sf)}`);
        if (file && (ts.isTemplateExpression(file) || ts.isBinaryExpression(file)))
          at(file, `${name}() of a program name built from values`);
        if (args && name !== "fork" && isStringy(args)) at(args, `${name}() with a string for its arguments`);
        if (
          file &&
          ts.isStringLiteral(file) &&
          SHELLS.has(file.text) &&
          args &&
          ts.isArrayLiteralExpression(args)
        ) {
          const i = args.elements.findIndex((e) => ts.isStringLiteral(e) && e.text === "-c");
          const script = i >= 0 ? args.elements[i + 1] : undefined;
          if (script && isBuilt(script))
            at(script, `${file.text} -c with a script built from values (pass values as "$1"… instead)`);
        }
      }
    }
    // dockerode exec: { Cmd: [...] } — an array of constant words, or at least not a string
    if (ts.isPropertyAssignment(n) && n.name.getText(sf) === "Cmd" && isStringy(n.initializer))
      at(n, "docker exec Cmd as a string (a shell line): use an array");
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return problems;
}

describe("no shell command lines built from input", () => {
  const files = DIRS.flatMap((d) => sources(join(ROOT, d)));

  it("scans the sources", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.endsWith("kernel/exec.ts"))).toBe(true);
  });

  it("starts processes with argument arrays only: no exec/execSync, no shell: true, no built sh -c scripts", () => {
    expect(files.flatMap(scan)).toEqual([]);
  });

  it("the scanner catches each bad form", () => {
    const bad = [
      `import { exec } from "node:child_process"; exec("docker rm " + id);`,
      `import * as cp from "child_process"; cp.execSync(\`ls \${dir}\`);`,
      `import { spawn } from "node:child_process"; spawn("docker", ["ps"], { shell: true });`,
      `import { spawn } from "node:child_process"; spawn("docker", "ps -a");`,
      `import { spawn } from "node:child_process"; spawn(\`\${tool}\`, []);`,
      `import { execFile } from "../../kernel/exec.ts"; execFile("sh", ["-c", \`rm -rf \${dir}\`]);`,
      `const c = { Cmd: "iptables -A INPUT -s " + ip };`,
    ];
    const dir = mkdtempSync(join(tmpdir(), "zk-chaos-scan-"));
    bad.forEach((src, i) => {
      const f = join(dir, `bad${i}.ts`);
      ts.sys.writeFile(f, src);
      expect(scan(f), src).not.toEqual([]);
    });
    const good = join(dir, "good.ts");
    ts.sys.writeFile(
      good,
      `import { spawn } from "node:child_process"; spawn("sh", ["-c", 'command -v "$1"', "sh", x]); /a/.exec(s);`,
    );
    expect(scan(good)).toEqual([]);
  });

  it("the server start script takes plain JVM options only", () => {
    expect(startScript(1, "-Xmx256m -XX:+UseSerialGC -Dzookeeper.x=a.b,c")).toMatch(
      /exec java \S+ -Xmx256m -XX:\+UseSerialGC -Dzookeeper.x=a.b,c /,
    );
    for (const bad of ["-Xmx256m; rm -rf /", "$(id)", "`id`", "-Da=b|c", "-Da='x'", "-Xmx1g\nid"])
      expect(() => startScript(1, bad), bad).toThrow(/JVM option/);
  });
});

describe("listening on loopback unless told otherwise", () => {
  const option = (command: string, flag: string) =>
    buildProgram(() => {})
      .commands.find((c) => c.name() === command)!
      .options.find((o) => o.long === flag)!.defaultValue as unknown;

  it("serve and toxiproxy default to --host 127.0.0.1", () => {
    expect(option("serve", "--host")).toBe("127.0.0.1");
    expect(option("toxiproxy", "--host")).toBe("127.0.0.1");
  });

  it("the results server binds 127.0.0.1 when no host is given", async () => {
    const served = await serveResults({ root: mkdtempSync(join(tmpdir(), "zk-chaos-serve-")), port: 0 });
    try {
      expect((served.server.address() as AddressInfo).address).toBe("127.0.0.1");
    } finally {
      await served.close();
    }
  });
});
