/**
 * Where published container ports bind and where the harness reaches them. With a local engine (no
 * DOCKER_HOST, a unix socket, or a loopback tcp address) both are 127.0.0.1. With a remote engine
 * (DOCKER_HOST=tcp://host:2376 or ssh://user@host) the ports must bind on that host's interfaces and the
 * clients, the proxy API and the four-letter words go to that host's address.
 */
export interface DockerHostAddress {
  /** HostIp of every published port. */
  readonly bindIp: string;
  /** Host clients and the harness connect to. */
  readonly clientHost: string;
  /** True when the engine runs on another machine. */
  readonly remote: boolean;
}

const LOCAL: DockerHostAddress = { bindIp: "127.0.0.1", clientHost: "127.0.0.1", remote: false };

/** Derive the addresses from DOCKER_HOST (ZK_CHAOS_BIND_IP narrows a remote bind to one interface). */
export function dockerHostAddress(env: NodeJS.ProcessEnv = process.env): DockerHostAddress {
  const raw = env.DOCKER_HOST?.trim();
  if (!raw) return LOCAL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return LOCAL;
  }
  if (url.protocol !== "tcp:" && url.protocol !== "ssh:") return LOCAL;
  const host = url.hostname;
  if (!host || isLoopback(host)) return LOCAL;
  return { bindIp: env.ZK_CHAOS_BIND_IP?.trim() || "0.0.0.0", clientHost: host, remote: true };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The addresses for this process's DOCKER_HOST (read once). */
export const DOCKER_HOST_ADDRESS: DockerHostAddress = dockerHostAddress();
