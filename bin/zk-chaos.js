#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci`/`npm install`) when it is up to date with the sources,
// else the TypeScript sources through tsx, so an edit needs no build step and a stale build never runs.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { freshBuildEntry } from "./fresh-build.js";

const entry = freshBuildEntry(path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."));
if (entry) {
  // Stack traces (printed under ZK_CHAOS_DEBUG) then name the TypeScript sources.
  if (process.env.ZK_CHAOS_DEBUG) process.setSourceMapsEnabled(true);
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../harness/cli/main.ts");
}
