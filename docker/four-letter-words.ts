import { connect } from "node:net";

export type ServerMode = "leader" | "follower" | "observer" | "standalone" | "down";

/**
 * Send a four-letter word (srvr, mntr, ruok …) to host:port and return the reply, or null on any error or
 * after `timeoutMs` (a paused server accepts the connection and never answers).
 */
export function fourLetterWord(
  host: string,
  port: number,
  word: string,
  timeoutMs = 1000,
): Promise<string | null> {
  return new Promise((resolve) => {
    let reply = "";
    let settled = false;
    const done = (value: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const socket = connect({ host, port }, () => socket.write(word));
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on("data", (d) => (reply += d.toString("utf8")));
    socket.on("end", () => done(reply));
    socket.on("error", () => done(null));
  });
}

/** Parse the Mode line of a `srvr` reply. */
export function parseMode(srvr: string | null): ServerMode {
  const m = srvr ? /^Mode:\s*(\w+)/m.exec(srvr) : null;
  const mode = m?.[1];
  return mode === "leader" || mode === "follower" || mode === "observer" || mode === "standalone"
    ? mode
    : "down";
}

/** The server's version from a `srvr` reply ("Zookeeper version: 3.4.13-6--1, built on …" → 3.4.13-6--1). */
export function parseVersion(srvr: string | null): string | null {
  const m = srvr ? /^Zookeeper version:\s*([^,\s]+)/m.exec(srvr) : null;
  return m?.[1] ?? null;
}
