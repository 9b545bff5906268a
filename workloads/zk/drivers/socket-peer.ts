/**
 * Which server this process is connected to, read from the process's own socket table (Linux /proc). The
 * native client keeps its socket inside the C library and the binding does not say which server it picked,
 * so the one place that tells is the kernel: the established TCP connections whose inodes are among this
 * process's file descriptors, matched by remote port against the servers of the connect string.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import type { ServerAddress } from "../client.ts";

const TCP_ESTABLISHED = "01";
const TABLES = ["/proc/self/net/tcp", "/proc/self/net/tcp6"];

/** One established connection of a /proc/net/tcp{,6} table: remote port and socket inode. */
export interface TcpEntry {
  readonly remotePort: number;
  readonly inode: string;
}

/** The established connections of a /proc/net/tcp or tcp6 table's text. */
export function parseTcpTable(text: string): TcpEntry[] {
  const out: TcpEntry[] = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
    if (f.length < 10 || f[3] !== TCP_ESTABLISHED) continue;
    const port = Number.parseInt(f[2]!.split(":")[1] ?? "", 16);
    if (Number.isInteger(port)) out.push({ remotePort: port, inode: f[9]! });
  }
  return out;
}

/** The inodes of this process's sockets ("socket:[123]" links under /proc/self/fd). */
function ownSocketInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** Pick the candidate whose port the entries of our sockets name; null when none or more than one does. */
export function pickPeer(
  entries: readonly TcpEntry[],
  own: ReadonlySet<string>,
  candidates: readonly ServerAddress[],
): ServerAddress | null {
  const found = new Set<ServerAddress>();
  for (const e of entries) {
    if (!own.has(e.inode)) continue;
    const c = candidates.find((s) => s.port === e.remotePort);
    if (c) found.add(c);
  }
  return found.size === 1 ? [...found][0]! : null;
}

/**
 * The one server of `candidates` this process has an established connection to; null off Linux, when it
 * has none, or when it has several (two sessions in one process: the table cannot tell them apart).
 */
export function connectedPeer(candidates: readonly ServerAddress[]): ServerAddress | null {
  if (candidates.length === 0 || !existsSync("/proc/self/fd")) return null;
  try {
    const entries = TABLES.filter((t) => existsSync(t)).flatMap((t) =>
      parseTcpTable(readFileSync(t, "utf8")),
    );
    return pickPeer(entries, ownSocketInodes(), candidates);
  } catch {
    return null;
  }
}
