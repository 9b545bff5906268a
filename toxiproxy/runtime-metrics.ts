/**
 * `-runtime-metrics`. Toxiproxy registers client_golang's Go, build-info and process collectors here (go_*,
 * process_*); we are a Node process, so we export the standard process_* metrics and Node's heap and
 * version under prom-client's names. Read at scrape time only.
 */
import { readdirSync } from "node:fs";
import type { MetricFamily } from "./prometheus-text.ts";

export function runtimeFamilies(): MetricFamily[] {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const gauge = (name: string, help: string, value: number): MetricFamily => ({
    name,
    help,
    type: "gauge",
    samples: [{ value }],
  });
  const families: MetricFamily[] = [
    {
      name: "process_cpu_seconds_total",
      help: "Total user and system CPU time spent in seconds.",
      type: "counter",
      samples: [{ value: (cpu.user + cpu.system) / 1e6 }],
    },
    gauge("process_resident_memory_bytes", "Resident memory size in bytes.", memory.rss),
    gauge(
      "process_start_time_seconds",
      "Start time of the process since unix epoch in seconds.",
      performance.timeOrigin / 1000,
    ),
    gauge("nodejs_heap_size_used_bytes", "Process heap size used from Node.js in bytes.", memory.heapUsed),
    gauge("nodejs_heap_size_total_bytes", "Process heap size from Node.js in bytes.", memory.heapTotal),
    {
      name: "nodejs_version_info",
      help: "Node.js version info.",
      type: "gauge",
      samples: [{ labels: versionLabels(process.version), value: 1 }],
    },
  ];
  const fds = openFds();
  if (fds !== undefined) families.push(gauge("process_open_fds", "Number of open file descriptors.", fds));
  return families;
}

/** Entries of /proc/self/fd (Linux only; elsewhere the metric is left out, as client_golang does). */
function openFds(): number | undefined {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch {
    return undefined;
  }
}

function versionLabels(version: string): Record<string, string> {
  const [major = "", minor = "", patch = ""] = version.replace(/^v/, "").split(".");
  return { version, major, minor, patch };
}
