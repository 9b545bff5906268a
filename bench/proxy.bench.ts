/**
 * Proxy overhead with no toxics: echo throughput over loopback, direct and through our Toxiproxy-compatible
 * server (64 MiB each way per run, one connection), and the round-trip latency it adds (ping-pong of
 * 64-byte messages). The echo server and the proxy each run in their own process, as in a real run.
 * Usage: npm run bench:proxy [-- --mib 64 --round-trips 5000 --runs 5]
 * Prints a JSON line last: {"bench":"proxy","direct_mib_s":…,"proxied_mib_s":…,"ratio":…,
 * "added_rtt_p50_ms":…,"added_rtt_p99_ms":…}
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median, percentile } from "./stats.ts";

const { values } = parseArgs({
  options: {
    mib: { type: "string", default: "64" },
    "round-trips": { type: "string", default: "5000" },
    runs: { type: "string", default: "5" },
  },
});
const MIB = Number(values.mib);
const ROUND_TRIPS = Number(values["round-trips"]);
const RUNS = Number(values.runs);

const ECHO = `
const net = require("node:net");
const server = net.createServer({ noDelay: true }, (s) => { s.on("error", () => {}); s.pipe(s); });
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

/** Starts a child process and resolves with it and the first stdout line matching `pattern`. */
function child(args: string[], pattern: RegExp): Promise<{ proc: ChildProcess; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, LOG_LEVEL: "warn" },
    });
    let out = "";
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const match = pattern.exec(out);
      if (match) resolve({ proc, match });
    });
    proc.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
  });
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1", noDelay: true }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** MiB/s for `mib` MiB sent and echoed back over one connection. */
async function throughput(port: number, mib: number): Promise<number> {
  const socket = await connect(port);
  const total = mib * 1024 * 1024;
  const block = Buffer.alloc(64 * 1024, 0x5a);
  const start = performance.now();
  let sent = 0;
  let received = 0;
  await new Promise<void>((resolve) => {
    socket.on("data", (d: Buffer) => {
      received += d.length;
      if (received >= total) resolve();
    });
    const write = (): void => {
      while (sent < total) {
        sent += block.length;
        if (!socket.write(block)) return void socket.once("drain", write);
      }
    };
    write();
  });
  const seconds = (performance.now() - start) / 1000;
  socket.destroy();
  return mib / seconds;
}

/** Round-trip times (ms) of `n` sequential 64-byte messages. */
async function roundTrips(port: number, n: number): Promise<number[]> {
  const socket = await connect(port);
  const message = Buffer.alloc(64, 0x61);
  const times: number[] = [];
  await new Promise<void>((resolve) => {
    let got = 0;
    let start = performance.now();
    socket.on("data", (d: Buffer) => {
      got += d.length;
      if (got < message.length) return;
      got -= message.length;
      times.push(performance.now() - start);
      if (times.length === n) return resolve();
      start = performance.now();
      socket.write(message);
    });
    socket.write(message);
  });
  socket.destroy();
  return times;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

process.stderr.write(`${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(2)}\n`);
const echo = await child(["-e", ECHO], /^(\d+)\n/m);
const echoPort = Number(echo.match[1]);
const main = fileURLToPath(new URL("../toxiproxy/main.ts", import.meta.url));
const proxy = await child(["--import", "tsx", main, "--port", "0", "--seed", "1"], /listening on (http:\S+)/);
const api = proxy.match[1] as string;
try {
  const res = await fetch(`${api}/proxies`, {
    method: "POST",
    body: JSON.stringify({ name: "bench", listen: "127.0.0.1:0", upstream: `127.0.0.1:${echoPort}` }),
  });
  const { listen } = (await res.json()) as { listen: string };
  const proxyPort = Number(listen.slice(listen.lastIndexOf(":") + 1));

  // Warm up both paths (JIT, socket buffers).
  for (let i = 0; i < 2; i++) {
    await throughput(echoPort, 32);
    await throughput(proxyPort, 32);
  }
  await roundTrips(echoPort, 500);
  await roundTrips(proxyPort, 500);

  const direct: number[] = [];
  const proxied: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first, so a change in background load does not favour one side.
    if (i % 2 === 0) {
      direct.push(await throughput(echoPort, MIB));
      proxied.push(await throughput(proxyPort, MIB));
    } else {
      proxied.push(await throughput(proxyPort, MIB));
      direct.push(await throughput(echoPort, MIB));
    }
    process.stderr.write(
      `run ${i + 1}: direct ${direct[i]?.toFixed(0)} MiB/s, proxied ${proxied[i]?.toFixed(0)} MiB/s\n`,
    );
  }
  const directRtt = await roundTrips(echoPort, ROUND_TRIPS);
  const proxiedRtt = await roundTrips(proxyPort, ROUND_TRIPS);
  process.stderr.write(
    `rtt p50/p99: direct ${percentile(directRtt, 0.5).toFixed(3)}/${percentile(directRtt, 0.99).toFixed(3)} ms, ` +
      `proxied ${percentile(proxiedRtt, 0.5).toFixed(3)}/${percentile(proxiedRtt, 0.99).toFixed(3)} ms\n`,
  );
  const directMib = median(direct);
  const proxiedMib = median(proxied);
  console.log(
    JSON.stringify({
      bench: "proxy",
      direct_mib_s: round(directMib, 1),
      proxied_mib_s: round(proxiedMib, 1),
      ratio: round(proxiedMib / directMib, 3),
      added_rtt_p50_ms: round(percentile(proxiedRtt, 0.5) - percentile(directRtt, 0.5), 3),
      added_rtt_p99_ms: round(percentile(proxiedRtt, 0.99) - percentile(directRtt, 0.99), 3),
    }),
  );
} finally {
  proxy.proc.kill("SIGTERM");
  echo.proc.kill("SIGTERM");
}
