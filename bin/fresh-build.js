// Whether bin/zk-chaos.js may run the compiled CLI (scripts/build-cli.mjs): only if the build finished (its
// manifest exists) and no file it was built from changed or vanished since. Plain JavaScript, no imports of
// ours: it runs before anything else is loaded.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The compiled entry, relative to the package root. */
export const BUILD_ENTRY = "dist/cli/main.js";
export const BUILD_MANIFEST = "dist/cli/manifest.json";

/**
 * The decision: fresh only if `manifest` is { builtAt: ms, inputs: [file…] } and every input has a
 * modification time (`mtimeOf` gives undefined for a missing file) no later than builtAt.
 */
export function isBuildFresh(manifest, mtimeOf) {
  if (typeof manifest !== "object" || manifest === null) return false;
  const { builtAt, inputs } = manifest;
  if (typeof builtAt !== "number" || !Array.isArray(inputs) || inputs.length === 0) return false;
  for (const file of inputs) {
    const mtime = typeof file === "string" ? mtimeOf(file) : undefined;
    if (mtime === undefined || mtime > builtAt) return false;
  }
  return true;
}

/** The compiled entry's absolute path if the build under `root` is fresh, else undefined. */
export function freshBuildEntry(root) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(root, BUILD_MANIFEST), "utf8"));
  } catch {
    return undefined; // no build (or a broken one): the sources
  }
  const mtimeOf = (file) => statSync(path.join(root, file), { throwIfNoEntry: false })?.mtimeMs;
  return isBuildFresh(manifest, mtimeOf) ? path.join(root, BUILD_ENTRY) : undefined;
}
