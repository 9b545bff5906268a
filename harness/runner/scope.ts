import type { Logger } from "../../kernel/log.ts";

/**
 * Resources acquired one after another and released in reverse order, whatever happened in between (as
 * Jepsen's nested `with-*` scopes, or an AsyncDisposableStack). A release that fails is logged, never
 * thrown: it must not hide why the run failed, nor keep the outer resources from being released.
 */
export class Scope {
  private readonly releases: { name: string; release: () => unknown }[] = [];

  constructor(private readonly log: Logger) {}

  /** Keep `resource` until the scope closes; `release` frees it then. */
  use<T>(name: string, resource: T, release: (resource: T) => unknown): T {
    this.releases.push({ name, release: () => release(resource) });
    return resource;
  }

  /** Release everything, newest first. */
  async close(): Promise<void> {
    for (let r = this.releases.pop(); r; r = this.releases.pop()) {
      try {
        await r.release();
      } catch (err) {
        this.log.error({ scope: r.name, err: String(err) }, "release failed");
      }
    }
  }
}
