/**
 * Test helper: just enough of a ZooKeeper server for node-zookeeper-client to open a session, ping and
 * close it, so a worker process can start without an ensemble. Every request after the handshake gets an
 * empty reply with no error (pings and closeSession need nothing more), but an exists gets NONODE; a
 * closeSession hangs up. Replies carry `zxid` in their header.
 */
import { createServer, type Server, type Socket } from "node:net";

const CLOSE_SESSION = -11;
const EXISTS = 3;
const NO_NODE = -101;

function frame(body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length);
  return Buffer.concat([len, body]);
}

export class SessionServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private nextSession = 1n;
  /** Sessions handed out so far. */
  sessions = 0;
  /** The zxid every reply header carries (the server's last applied transaction). */
  zxid = 0n;

  constructor() {
    this.server = createServer((socket) => this.serve(socket));
  }

  /** Listens on 127.0.0.1; resolves with "127.0.0.1:port". */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const addr = this.server.address();
    if (addr === null || typeof addr === "string") throw new Error("no port");
    return `127.0.0.1:${addr.port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => undefined);
    let buf = Buffer.alloc(0);
    let connected = false;
    socket.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const body = buf.subarray(4, 4 + buf.readInt32BE(0));
        buf = buf.subarray(4 + body.length);
        if (!connected) {
          connected = true;
          socket.write(frame(this.connectResponse(body)));
          continue;
        }
        const xid = body.readInt32BE(0);
        const type = body.readInt32BE(4);
        const reply = Buffer.alloc(16); // xid, zxid, err
        reply.writeInt32BE(xid, 0);
        reply.writeBigInt64BE(this.zxid, 4);
        if (type === EXISTS) reply.writeInt32BE(NO_NODE, 12);
        socket.write(frame(reply));
        if (type === CLOSE_SESSION) socket.end();
      }
    });
  }

  /** ConnectRequest: protocolVersion, lastZxidSeen, timeOut, sessionId, passwd → the same timeout back. */
  private connectResponse(request: Buffer): Buffer {
    const timeOut = request.readInt32BE(12);
    const res = Buffer.alloc(4 + 4 + 8 + 4 + 16);
    res.writeInt32BE(0, 0);
    res.writeInt32BE(timeOut, 4);
    res.writeBigInt64BE(this.nextSession++, 8);
    res.writeInt32BE(16, 16);
    this.sessions++;
    return res;
  }
}
