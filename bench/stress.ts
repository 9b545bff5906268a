/**
 * The container test suite on a busy machine: as many CPU-bound processes as cores (normal priority)
 * beside it, as on a shared CI runner. Runs the suite `--times` times in a row, stopping at the first
 * failure, and prints how long each pass took.
 * Usage: npm run test:stress [-- --times 3 --hogs 2]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    times: { type: "string", default: "1" },
    hogs: { type: "string", default: String(availableParallelism()) },
  },
});
const times = Number(values.times);
const hogCount = Number(values.hogs);
if (!Number.isInteger(times) || times < 1 || !Number.isInteger(hogCount) || hogCount < 0) {
  process.stderr.write("test:stress: --times must be 1 or more and --hogs 0 or more\n");
  process.exit(254);
}

const hogs: ChildProcess[] = [];
const stopHogs = (): void => {
  for (const h of hogs.splice(0)) h.kill("SIGKILL");
};
process.on("exit", stopHogs);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    stopHogs();
    process.exit(130);
  });

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: process.env });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

// Images first, without the hog: building them is not what this measures.
if ((await run(process.execPath, ["bin/zk-chaos.js", "images"])) !== 0) process.exit(1);
for (let i = 0; i < hogCount; i++)
  hogs.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
process.stderr.write(`test:stress: ${hogCount} busy process(es) beside the container suite\n`);

const passes: { pass: number; seconds: number; ok: boolean }[] = [];
for (let pass = 1; pass <= times; pass++) {
  const t0 = performance.now();
  const code = await run("npx", ["vitest", "run", "--tags-filter=docker", "--no-file-parallelism"]);
  passes.push({ pass, seconds: Math.round((performance.now() - t0) / 1000), ok: code === 0 });
  process.stderr.write(`test:stress: pass ${pass}/${times} ${code === 0 ? "passed" : "FAILED"}\n`);
  if (code !== 0) break;
}
stopHogs();
const clean = await run(process.execPath, ["bin/zk-chaos.js", "clean", "--check"]);
console.log(JSON.stringify({ bench: "test-stress", hogs: hogCount, passes, leftovers: clean !== 0 }));
process.exit(passes.every((p) => p.ok) && passes.length === times && clean === 0 ? 0 : 1);
