import { createServer, connect, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { serversOf } from "../connect-string.ts";
import { connectedPeer, parseTcpTable, pickPeer } from "./socket-peer.ts";

// Three lines of a real /proc/net/tcp: a listener, an established connection, one in TIME_WAIT.
const TABLE = [
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
  "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 157 1 0000000000000000 100 0 0 10 0",
  "   1: 0100007F:A805 0100007F:D18E 01 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 20 4 30 10 -1",
  "   2: 0100007F:8FBB 0100007F:B0DA 06 00000000:00000000 03:00000947 00000000     0        0 0 3 0000000000000000",
].join("\n");

const open: (Server | Socket)[] = [];
afterEach(() => {
  for (const x of open.splice(0))
    if ("destroy" in x) x.destroy();
    else x.close();
});

const listen = (): Promise<Server> =>
  new Promise((resolve) => {
    const s = createServer((sock) => open.push(sock)).listen(0, "127.0.0.1", () => resolve(s));
    open.push(s);
  });
const portOf = (s: Server): number => (s.address() as { port: number }).port;

describe("socket-peer", () => {
  it("reads only established connections: remote port and inode", () => {
    expect(parseTcpTable(TABLE)).toEqual([{ remotePort: 0xd18e, inode: "4242" }]);
  });

  it("picks the one candidate our own sockets reach, none when two are reached", () => {
    const a = { host: "127.0.0.1", port: 0xd18e };
    const b = { host: "127.0.0.1", port: 1 };
    expect(pickPeer(parseTcpTable(TABLE), new Set(["4242"]), [b, a])).toBe(a);
    expect(pickPeer(parseTcpTable(TABLE), new Set(["999"]), [a])).toBeNull();
    const two = [
      { remotePort: a.port, inode: "1" },
      { remotePort: b.port, inode: "2" },
    ];
    expect(pickPeer(two, new Set(["1", "2"]), [a, b])).toBeNull();
  });

  it.runIf(process.platform === "linux")("finds the server this process is connected to", async () => {
    const [one, two] = [await listen(), await listen()];
    const candidates = serversOf(`127.0.0.1:${portOf(one)},127.0.0.1:${portOf(two)}`);
    expect(connectedPeer(candidates)).toBeNull();
    const sock = connect(portOf(two), "127.0.0.1");
    open.push(sock);
    await new Promise((resolve) => sock.once("connect", resolve));
    expect(connectedPeer(candidates)).toEqual({ host: "127.0.0.1", port: portOf(two) });
  });
});
