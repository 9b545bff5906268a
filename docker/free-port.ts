import { createServer } from "node:net";

/**
 * A free TCP port on 127.0.0.1, picked by the kernel. We publish container ports on fixed host ports chosen
 * this way (not Docker's ephemeral ones) so they survive a container's kill and start.
 */
export function freePort(): Promise<number> {
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
