/**
 * `-proxy-metrics`: byte totals per (direction, proxy, listener, upstream), as toxiproxy's METRICS.md defines
 * them. received{upstream} = read from the client, sent{upstream} = written to the server (after toxics),
 * received{downstream} = read from the server, sent{downstream} = written to the client. "Written" is
 * handed to the destination socket's write (Go counts what its Write took): bytes still queued in a sink
 * or dropped by a toxic are not.
 *
 * A link holds its ByteCounter and adds to it per chunk (no lookup, no allocation); the series is looked up
 * once per connection. Series outlive connections and proxies: they are totals, as in client_golang.
 * Unlike toxiproxy, which adds a link's bytes when the link ends, ours count while data flows.
 */
import type { MetricFamily, Sample } from "./prometheus-text.ts";
import type { Direction } from "./toxics/toxic.ts";

/** One series pair. A class, so every counter has the same shape and the hot path stays monomorphic. */
export class ByteCounter {
  received = 0;
  sent = 0;
}

export type LinkCounters = Readonly<Record<Direction, ByteCounter>>;

/** Where links count when proxy metrics are off: one shared pair, nobody reads it. */
export const UNCOUNTED: LinkCounters = { upstream: new ByteCounter(), downstream: new ByteCounter() };

interface Series {
  /** In label-name order, as client_golang prints them. */
  readonly labels: { direction: Direction; listener: string; proxy: string; upstream: string };
  readonly counter: ByteCounter;
}

export class ProxyMetrics {
  private readonly series = new Map<string, Series>();

  /** The counters for a new connection, labelled with the proxy's listen and upstream as they are now. */
  counters(proxy: string, listener: string, upstream: string): LinkCounters {
    return {
      upstream: this.counter("upstream", proxy, listener, upstream),
      downstream: this.counter("downstream", proxy, listener, upstream),
    };
  }

  families(): MetricFamily[] {
    const all = [...this.series.values()].sort((a, b) => compare(a.labels, b.labels));
    const samples = (pick: (c: ByteCounter) => number): Sample[] =>
      all.map(({ labels, counter }) => ({ labels, value: pick(counter) }));
    return [
      {
        name: "toxiproxy_proxy_received_bytes_total",
        help: "Bytes read by a proxy, from the client (direction upstream) or the server (downstream).",
        type: "counter",
        samples: samples((c) => c.received),
      },
      {
        name: "toxiproxy_proxy_sent_bytes_total",
        help: "Bytes written by a proxy after its toxics, to the server (direction upstream) or the client (downstream).",
        type: "counter",
        samples: samples((c) => c.sent),
      },
    ];
  }

  private counter(direction: Direction, proxy: string, listener: string, upstream: string): ByteCounter {
    const key = JSON.stringify([direction, proxy, listener, upstream]);
    let series = this.series.get(key);
    if (!series) {
      series = { labels: { direction, listener, proxy, upstream }, counter: new ByteCounter() };
      this.series.set(key, series);
    }
    return series.counter;
  }
}

/** Series sorted by label values in label-name order, as client_golang sorts them. */
function compare(a: Series["labels"], b: Series["labels"]): number {
  for (const name of ["direction", "listener", "proxy", "upstream"] as const) {
    if (a[name] !== b[name]) return a[name] < b[name] ? -1 : 1;
  }
  return 0;
}
