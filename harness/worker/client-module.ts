import { pathToFileURL } from "node:url";
import { findDefined, isDefinedWorkload } from "../../workloads/define-workload.ts";
import type { WorkloadClientFactory, WorkloadClientModule } from "../../workloads/workload.ts";

/**
 * The client factory of `clientModule` (a path or file URL): the defined workload named by the URL
 * fragment, else a default-exported factory (built-ins) or defined workload.
 */
export async function loadClientFactory(clientModule: string): Promise<WorkloadClientFactory> {
  const url = clientModule.startsWith("file:") ? clientModule : pathToFileURL(clientModule).href;
  const hash = url.indexOf("#");
  const base = hash < 0 ? url : url.slice(0, hash);
  const name = hash < 0 ? "" : decodeURIComponent(url.slice(hash + 1));
  const mod = (await import(base)) as WorkloadClientModule;
  const found = name ? findDefined(mod, name) : undefined;
  if (found) return found.client;
  if (typeof mod.default === "function") return mod.default;
  if (isDefinedWorkload(mod.default)) return mod.default.client;
  throw new Error(`${base} exports no workload client${name ? ` for workload ${name}` : ""}`);
}
