import { createServer } from "node:net";

/** Ports handed out lately (port → ms), so concurrent ensembles in one process never get the same one. */
const recent = new Map<number, number>();
const RECENT_MS = 10 * 60_000;

/**
 * A free TCP port on 127.0.0.1, picked by the kernel. We publish container ports on fixed host ports chosen
 * this way (not Docker's ephemeral ones) so they survive a container's kill and start. A port handed out in
 * the last minutes is not handed out again (it may not be published yet). With a remote engine the kernel
 * asked is the local one: a clash on the remote host fails that run's start.
 */
export async function freePort(): Promise<number> {
  const now = Date.now();
  for (const [port, at] of recent) if (now - at > RECENT_MS) recent.delete(port);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await kernelPort();
    if (!recent.has(port)) {
      recent.set(port, now);
      return port;
    }
  }
  throw new Error("no free port the kernel offered was unused by this process");
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}
