/** Every proxy by name, and the operations the API performs on them as a whole. */
import { ApiError, missingField, proxyAlreadyExists, proxyNotFound, toApiError } from "./errors.ts";
import type { ProxyLogger } from "./logger.ts";
import type { ProxyJson, ProxyOptions } from "./proxy.ts";
import { Proxy } from "./proxy.ts";

export interface ProxyInput {
  name?: string;
  listen?: string;
  upstream?: string;
  enabled?: boolean;
}

/** A failed /populate: the error, and the proxies created or kept before it. */
export class PopulateError extends ApiError {
  constructor(
    cause: ApiError,
    readonly proxies: Proxy[],
  ) {
    super(cause.message, cause.status);
  }
}

export class ProxyCollection {
  private readonly proxies = new Map<string, Proxy>();

  constructor(
    private readonly seed: number,
    private readonly log: ProxyLogger,
    /** Every proxy's options: metrics (-proxy-metrics), refusal while the upstream is down. */
    private readonly options: ProxyOptions = {},
  ) {}

  /** Sorted by name, as Go marshals a map. */
  all(): Proxy[] {
    return [...this.proxies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  toJSON(): Record<string, ProxyJson> {
    return Object.fromEntries(this.all().map((p) => [p.name, p.toJSON()]));
  }

  get(name: string): Proxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw proxyNotFound();
    return proxy;
  }

  /** POST /proxies. */
  async add(input: ProxyInput): Promise<Proxy> {
    if (!input.name) throw missingField("name");
    if (!input.upstream) throw missingField("upstream");
    if (this.proxies.has(input.name)) throw proxyAlreadyExists();
    const proxy = new Proxy(
      input.name,
      input.listen ?? "",
      input.upstream,
      this.seed,
      this.log,
      this.options,
    );
    if (input.enabled ?? true) await proxy.start();
    this.proxies.set(proxy.name, proxy);
    return proxy;
  }

  /**
   * POST /populate: validates every entry first; an existing proxy with the same listen and upstream is kept
   * untouched, one that differs is stopped and replaced (its toxics are lost).
   */
  async populate(inputs: ProxyInput[]): Promise<Proxy[]> {
    inputs.forEach((input, i) => {
      if (!input.name) throw missingField(`name at proxy ${i + 1}`);
      if (!input.upstream) throw missingField(`upstream at proxy ${i + 1}`);
    });
    const done: Proxy[] = [];
    for (const input of inputs) {
      const name = input.name as string;
      const upstream = input.upstream as string;
      const listen = input.listen ?? "";
      const existing = this.proxies.get(name);
      if (existing && existing.listen === listen && existing.upstream === upstream) {
        done.push(existing);
        continue;
      }
      existing?.stop();
      const proxy = new Proxy(name, listen, upstream, this.seed, this.log, this.options);
      try {
        if (input.enabled ?? true) await proxy.start();
      } catch (err) {
        throw new PopulateError(toApiError(err), done);
      }
      this.proxies.set(name, proxy);
      done.push(proxy);
    }
    return done;
  }

  /** DELETE /proxies/{proxy}. */
  remove(name: string): void {
    const proxy = this.get(name);
    proxy.stop();
    this.proxies.delete(name);
  }

  /** POST /reset: every proxy enabled again and every toxic removed; proxies are kept. */
  async reset(): Promise<void> {
    for (const proxy of this.all()) {
      await proxy.start();
      proxy.toxics.reset();
    }
  }

  /** Stops every proxy (server shutdown). */
  stopAll(): void {
    for (const proxy of this.proxies.values()) proxy.stop();
  }
}
