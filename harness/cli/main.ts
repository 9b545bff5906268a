#!/usr/bin/env node
// The CLI entry: the only place that calls process.exit (native ZooKeeper handles may otherwise linger).
import { main } from "./program.ts";

const code = await main(process.argv.slice(2));
// Writes to a pipe are asynchronous: exit once they have gone out (a `check --json` of a big run is > 128 KiB),
// or the reader has gone (EPIPE: nothing left to say).
const flushed = (s: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => {
    s.once("error", () => resolve());
    s.write("", () => resolve());
  });
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
