/**
 * LinkControl over the Toxiproxy HTTP API (the official server or ours in toxiproxy/): each logical link
 * has its own proxy (harness/cluster/links.ts names them), and a fault on a link is a change to that proxy.
 *
 * - cut "refuse":    the proxy is disabled: new connections are refused and open ones closed.
 * - cut "blackhole": a `timeout` toxic with timeout 0 on both streams: every byte either way is dropped and
 *                    sockets hang open (new connections are still accepted, then hear nothing), like
 *                    dropped packets. Removing the toxic closes those connections, so peers reconnect.
 * - cut "drop-replies": the same toxic on the downstream only (upstream → client bytes dropped).
 * - slow:            a `latency` toxic on both streams.
 * - heal(links):     our toxics (named `zk-chaos-…`) removed and the proxies re-enabled; others' toxics stay.
 * - heal():          POST /reset: every proxy enabled, every toxic gone.
 *
 * Every request is idempotent (an existing toxic counts as added, a missing one as removed), so a request
 * that failed on the network or with a 5xx is retried; requests for many links run concurrently.
 */
import type { CutMode, LinkControl } from "../kernel/link-control.ts";
import { proxyName, type Link } from "../kernel/links.ts";
import { logger } from "../kernel/log.ts";

/** Prefix of every toxic this class adds; heal(links) removes exactly those. */
export const TOXIC_PREFIX = "zk-chaos-";

const STREAMS = ["upstream", "downstream"] as const;
type Stream = (typeof STREAMS)[number];
const toxicName = (kind: "blackhole" | "latency", stream: Stream): string =>
  `${TOXIC_PREFIX}${kind}-${stream}`;

export interface ToxiproxyLinksOptions {
  /** Requests in flight at once. Default 16. */
  readonly concurrency?: number;
  /** Per request, ms. Default 10 000 (the API's own limit is 25 s; toxic removal has been known to hang). */
  readonly timeoutMs?: number;
  /** Tries per request when it fails on the network or with a 5xx. Default 3. */
  readonly attempts?: number;
}

interface ProxyState {
  enabled: boolean;
  toxics: { name: string }[];
}

/** A non-2xx answer from the API. */
export class ToxiproxyApiError extends Error {
  override readonly name = "ToxiproxyApiError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const log = logger("toxiproxy-links");

export class ToxiproxyLinks implements LinkControl {
  private readonly base: string;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly attempts: number;

  /** `apiUrl`: the API's base URL, e.g. http://127.0.0.1:49153. */
  constructor(apiUrl: string, options: ToxiproxyLinksOptions = {}) {
    this.base = apiUrl.replace(/\/+$/, "");
    this.concurrency = Math.max(1, options.concurrency ?? 16);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.attempts = Math.max(1, options.attempts ?? 3);
  }

  async cut(links: readonly Link[], mode: CutMode): Promise<void> {
    await this.eachProxy("cut", links, async (proxy) => {
      if (mode === "refuse") {
        await this.request("PATCH", proxyPath(proxy), { enabled: false });
        return;
      }
      const streams: readonly Stream[] = mode === "drop-replies" ? ["downstream"] : STREAMS;
      await Promise.all(
        streams.map((stream) =>
          this.addToxic(proxy, toxicName("blackhole", stream), "timeout", stream, { timeout: 0 }),
        ),
      );
    });
  }

  async slow(links: readonly Link[], latencyMs: number, jitterMs: number): Promise<void> {
    // The API takes integer attributes only.
    const attributes = { latency: Math.round(latencyMs), jitter: Math.round(jitterMs) };
    await this.eachProxy("slow", links, (proxy) =>
      Promise.all(
        STREAMS.map((stream) =>
          this.addToxic(proxy, toxicName("latency", stream), "latency", stream, attributes),
        ),
      ),
    );
  }

  async heal(links?: readonly Link[]): Promise<void> {
    if (links === undefined) {
      await this.request("POST", "/reset");
      return;
    }
    await this.eachProxy("heal", links, async (proxy) => {
      const state = (await this.request("GET", proxyPath(proxy))) as ProxyState;
      const ours = state.toxics.filter((t) => t.name.startsWith(TOXIC_PREFIX));
      await Promise.all([
        ...ours.map((t) =>
          this.request("DELETE", `${proxyPath(proxy)}/toxics/${enc(t.name)}`, undefined, [404]),
        ),
        ...(state.enabled ? [] : [this.request("PATCH", proxyPath(proxy), { enabled: true })]),
      ]);
    });
  }

  /** Add a toxic; one of that name already there is updated to these attributes instead. */
  private async addToxic(
    proxy: string,
    name: string,
    type: string,
    stream: Stream,
    attributes: Record<string, number>,
  ): Promise<void> {
    const added = await this.request(
      "POST",
      `${proxyPath(proxy)}/toxics`,
      { name, type, stream, toxicity: 1, attributes },
      [409],
    );
    if (added === CONFLICT)
      await this.request("POST", `${proxyPath(proxy)}/toxics/${enc(name)}`, { attributes, toxicity: 1 });
  }

  /** Run `act` once per distinct proxy of `links`, `concurrency` at a time; one error names every failure. */
  private async eachProxy(
    what: string,
    links: readonly Link[],
    act: (proxy: string) => Promise<unknown>,
  ): Promise<void> {
    const proxies = [...new Set(links.map(proxyName))];
    const failures: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < proxies.length) {
        const proxy = proxies[next++]!;
        try {
          await act(proxy);
        } catch (err) {
          failures.push(`${proxy}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, proxies.length) }, worker));
    log.debug({ what, proxies: proxies.length, failed: failures.length }, "links done");
    if (failures.length > 0)
      throw new Error(
        `toxiproxy ${what}: ${failures.length} of ${proxies.length} proxies failed: ${failures.join("; ")}`,
      );
  }

  /**
   * One API call, retried on network errors and 5xx. Resolves with the parsed JSON body (undefined when
   * empty), or CONFLICT/NOT_FOUND when that status was listed in `tolerate`.
   */
  private async request(
    method: string,
    path: string,
    body?: unknown,
    tolerate: readonly number[] = [],
  ): Promise<unknown> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.base}${path}`, {
          method,
          signal: AbortSignal.timeout(this.timeoutMs),
          ...(body === undefined
            ? {}
            : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
        });
      } catch (err) {
        lastError = err;
        if (attempt < this.attempts) await backoff(attempt);
        continue;
      }
      const text = await res.text();
      if (res.ok) return text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
      if (tolerate.includes(res.status)) return res.status === 409 ? CONFLICT : NOT_FOUND;
      lastError = new ToxiproxyApiError(res.status, `${method} ${path}: ${res.status} ${errorText(text)}`);
      if (res.status < 500) break;
      if (attempt < this.attempts) await backoff(attempt);
    }
    throw lastError;
  }
}

const CONFLICT = Symbol("409");
const NOT_FOUND = Symbol("404");

const enc = encodeURIComponent;
const proxyPath = (proxy: string): string => `/proxies/${enc(proxy)}`;
const backoff = (attempt: number): Promise<void> => new Promise((r) => setTimeout(r, 50 * 2 ** attempt));

/** The API's error body is `{"error": "...", "status": N}` (sent as text/plain). */
function errorText(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === "string") return parsed.error;
  } catch {
    // not JSON: fall through
  }
  return text.trim().slice(0, 200);
}
