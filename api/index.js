// The public entry, "zk-chaos" (types: api/public.ts). It loads the TypeScript sources as they are: directly
// where TypeScript already loads (the CLI, tsx, vitest), else through tsx's scoped loader — so no build step,
// also when installed under node_modules.
const NEEDS_LOADER = new Set([
  "ERR_UNKNOWN_FILE_EXTENSION",
  "ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING",
  "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX",
]);

let api;
try {
  api = await import("./public.ts");
} catch (err) {
  if (!NEEDS_LOADER.has(err?.code)) throw err;
  const { tsImport } = await import("tsx/esm/api");
  api = await tsImport("./public.ts", import.meta.url);
}

export const { defineWorkload, isDefinedWorkload, runTest, checkers, ZkError, BadInputError, EXIT } = api;
