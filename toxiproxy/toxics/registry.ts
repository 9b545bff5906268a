/** Toxic types by name: one file per toxic, listed here. `down` is not a toxic (disable the proxy). */
import { bandwidth } from "./bandwidth.ts";
import { latency } from "./latency.ts";
import { limitData } from "./limit-data.ts";
import { noop } from "./noop.ts";
import { resetPeer } from "./reset-peer.ts";
import { slicer } from "./slicer.ts";
import { slowClose } from "./slow-close.ts";
import { timeout } from "./timeout.ts";
import type { ToxicKind } from "./toxic.ts";

const kinds: readonly ToxicKind[] = [
  noop,
  latency,
  bandwidth,
  slowClose,
  timeout,
  resetPeer,
  slicer,
  limitData,
];

const registry = new Map<string, ToxicKind>(kinds.map((kind) => [kind.type, kind]));

export function toxicKind(type: string): ToxicKind | undefined {
  return registry.get(type);
}

export function toxicTypes(): string[] {
  return [...registry.keys()];
}
