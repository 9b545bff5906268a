#!/usr/bin/env node
// The CLI entry: the only place that calls process.exit (native ZooKeeper handles may otherwise linger).
import { main } from "./program.ts";

const code = await main(process.argv.slice(2));
process.exit(code);
