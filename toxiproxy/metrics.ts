/** The body of GET /metrics: whichever of the proxy and runtime metrics are enabled, families by name. */
import type { MetricFamily } from "./prometheus-text.ts";
import { renderFamilies } from "./prometheus-text.ts";
import type { ProxyMetrics } from "./proxy-metrics.ts";
import { runtimeFamilies } from "./runtime-metrics.ts";

/** undefined when neither is enabled: then /metrics is not a route at all (404), as in toxiproxy. */
export function metricsExposition(
  proxy: ProxyMetrics | undefined,
  runtime: boolean,
): (() => string) | undefined {
  if (!proxy && !runtime) return undefined;
  return () => {
    const families: MetricFamily[] = [...(proxy?.families() ?? []), ...(runtime ? runtimeFamilies() : [])];
    return renderFamilies(families.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  };
}
