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

/** Packages bundled in: commander, which every command loads (about 10 ms less start-up than loading it). */
const BUNDLED_PACKAGES = new Set(["commander"]);

/** Every other package stays external, resolved from node_modules at run time (native ones included). */
const externalPackages = {
  name: "external-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.match(/^(?:@[^/]+\/)?[^/]+/)[0];
      if (args.path.startsWith("node:") || BUNDLED_PACKAGES.has(name)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

// commander is CommonJS: its require() of Node's modules needs a require in each ESM output file.
const REQUIRE_BANNER =
  'import { createRequire as __zkCreateRequire } from "node:module"; const require = __zkCreateRequire(import.meta.url);';

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
    banner: { js: REQUIRE_BANNER },
    sourcemap: true,
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    define: { __ZK_CHAOS_COMPILED__: "true" },
    plugins: [externalPackages, sourceUrls(outdir)],
    metafile: true,
    logLevel: "warning",
  });
  // A module of ours with its own top-level `require` would clash with the banner's: refuse that build.
  for (const file of Object.keys(result.metafile.outputs).filter((f) => f.endsWith(".js")))
    await transform(readFileSync(path.join(ROOT, file), "utf8"), { format: "esm", logLevel: "silent" });
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
