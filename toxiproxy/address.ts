/** host:port parsing and formatting with Go's net conventions (SplitHostPort, Addr().String()). */
import type { AddressInfo } from "node:net";
import { errCode } from "./logger.ts";

export interface HostPort {
  /** "" means every interface (listen) or localhost (dial), as in Go. */
  host: string;
  port: number;
}

/** Splits "host:port", "[v6]:port" or ":port"; throws with Go's wording on malformed input. */
export function splitHostPort(address: string): HostPort {
  let host: string;
  let portText: string;
  if (address.startsWith("[")) {
    const close = address.indexOf("]");
    if (close < 0) throw new Error(`address ${address}: missing ']' in address`);
    host = address.slice(1, close);
    const rest = address.slice(close + 1);
    if (!rest.startsWith(":")) throw new Error(`address ${address}: missing port in address`);
    portText = rest.slice(1);
  } else {
    const colon = address.lastIndexOf(":");
    if (colon < 0) throw new Error(`address ${address}: missing port in address`);
    host = address.slice(0, colon);
    if (host.includes(":")) throw new Error(`address ${address}: too many colons in address`);
    portText = address.slice(colon + 1);
  }
  const port = portText === "" ? 0 : Number(portText);
  if (!/^\d*$/.test(portText) || !Number.isInteger(port) || port > 65535) {
    throw new Error(`address ${address}: invalid port`);
  }
  return { host, port };
}

/** The host to bind for a listen host: "" → every interface, "localhost" → 127.0.0.1 (as Go resolves it). */
export function bindHost(host: string): string | undefined {
  if (host === "") return undefined;
  return host === "localhost" ? "127.0.0.1" : host;
}

/** A bound address as Go prints it: "127.0.0.1:8666", "[::]:8666". */
export function formatAddress(address: AddressInfo | string | null): string {
  if (address === null || typeof address === "string") return String(address);
  return address.family === "IPv6" || address.address.includes(":")
    ? `[${address.address}]:${address.port}`
    : `${address.address}:${address.port}`;
}

const BIND_ERRORS: Record<string, string> = {
  EADDRINUSE: "bind: address already in use",
  EACCES: "bind: permission denied",
  EADDRNOTAVAIL: "bind: cannot assign requested address",
};

/** The message Go's net.Listen would give, e.g. "listen tcp 127.0.0.1:3310: bind: address already in use". */
export function listenErrorMessage(listen: string, err: unknown): string {
  const code = errCode(err);
  const bind = code === undefined ? undefined : BIND_ERRORS[code];
  if (bind !== undefined) return `listen tcp ${listen}: ${bind}`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return `listen tcp: lookup ${splitHostPortSafe(listen)}: no such host`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return `listen tcp ${listen}: ${message}`;
}

function splitHostPortSafe(listen: string): string {
  try {
    return splitHostPort(listen).host;
  } catch {
    return listen;
  }
}
