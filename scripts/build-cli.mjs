// Compiles the CLI into dist/cli (run by `npm ci`/`npm install` through `prepare`, and before packing), so
// `zk-chaos` starts without loading TypeScript. bin/zk-chaos.js runs it only while manifest.json says no
// source changed since; otherwise it runs the sources through tsx.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, transform } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SELF = path.relative(ROOT, fileURLToPath(import.meta.url));

/**
 * Each module's import.meta.url becomes its source file's URL, found from the output file's own URL at run
 * time: paths resolved from it (worker-main.ts, client modules, package.json, the proxy's sources) stay right
 * and the install stays relocatable. Every output file lies directly in `outdir` for this to hold.
 */
function sourceUrls(outdir) {
  return {
    name: "source-import-meta-url",
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = readFileSync(args.path, "utf8");
        if (!source.includes("import.meta.url")) return undefined;
        const rel = path.relative(outdir, args.path).split(path.sep).join("/");
        const { code } = await transform(source, {
          loader: "ts",
          format: "esm",
          sourcefile: args.path,
          sourcemap: "inline",
          define: { "import.meta.url": "__zkSourceUrl" },
          tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
        });
        // On the first line, so the inline source map stays aligned.
        const prefix = `const __zkSourceUrl = new URL(${JSON.stringify(rel)}, import.meta.url).href; `;
        return { contents: prefix + code, loader: "js" };
      });
    },
  };
}

/** Build the CLI into `outdir` (default dist/cli); returns the manifest it wrote. */
export async function buildCli(outdir = path.join(ROOT, "dist", "cli")) {
  const builtAt = Date.now();
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ["harness/cli/main.ts"],
    outdir,
    bundle: true,
    // One chunk per lazily imported command: `--version` and `check` load only what they use.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: true,
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    define: { __ZK_CHAOS_COMPILED__: "true" },
    plugins: [sourceUrls(outdir)],
    metafile: true,
    logLevel: "warning",
  });
  // Last, so an interrupted build leaves no manifest and the bin keeps to the sources.
  const manifest = { builtAt, inputs: [...Object.keys(result.metafile.inputs), SELF].sort() };
  writeFileSync(path.join(outdir, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await buildCli();
  } catch (err) {
    // `--if-possible` (npm's prepare): a failed build must not fail the install; the bin runs the sources.
    if (!process.argv.includes("--if-possible")) throw err;
    const why = (err instanceof Error ? err.message : String(err)).split("\n")[0];
    process.stderr.write(`zk-chaos: CLI build failed (${why}); bin/zk-chaos.js will run the sources\n`);
  }
}
