/**
 * A proxy's toxics: one ordered chain per direction, names unique across both. Every edit is applied to
 * the proxy's live connections at once (new toxics join existing links too) and never waits on them.
 */
import type { Connection } from "./connection.ts";
import {
  badRequestBody,
  invalidStream,
  invalidToxicType,
  toxicAlreadyExists,
  toxicNotFound,
} from "./errors.ts";
import type { JsonObject } from "./json-input.ts";
import { asObject, field, jsonKind, optInteger, optNumber, optString } from "./json-input.ts";
import type { ToxicSettings } from "./stage.ts";
import { toxicKind } from "./toxics/registry.ts";
import type { Direction, ToxicKind } from "./toxics/toxic.ts";

export interface ToxicRecord extends ToxicSettings {
  readonly type: string;
  /** As sent by the client (parsed case-insensitively). */
  readonly stream: string;
  readonly direction: Direction;
}

/** A toxic as the API shows it, fields in toxiproxy's order. */
export interface ToxicJson {
  attributes: Record<string, number>;
  name: string;
  type: string;
  stream: string;
  toxicity: number;
}

export function toxicJson(toxic: ToxicRecord): ToxicJson {
  const attributes: Record<string, number> = {};
  for (const name of toxic.kind.attributes) attributes[name] = toxic.attributes[name] ?? 0;
  return { attributes, name: toxic.name, type: toxic.type, stream: toxic.stream, toxicity: toxic.toxicity };
}

export class ToxicCollection {
  private chains: Record<Direction, ToxicRecord[]> = { upstream: [], downstream: [] };

  constructor(private readonly connections: () => Iterable<Connection>) {}

  chain(direction: Direction): readonly ToxicRecord[] {
    return this.chains[direction];
  }

  /** Upstream chain first, then downstream, each in chain order. */
  list(): ToxicRecord[] {
    return [...this.chains.upstream, ...this.chains.downstream];
  }

  get(name: string): ToxicRecord {
    const toxic = this.find(name);
    if (!toxic) throw toxicNotFound();
    return toxic;
  }

  /** POST /proxies/{proxy}/toxics, validated in toxiproxy's order (AddToxicJson). */
  add(body: unknown): ToxicRecord {
    const input = asObject(body, "toxics.ToxicWrapper");
    const type = optString(input, "type", "ToxicWrapper.type") ?? "";
    const stream = optString(input, "stream", "ToxicWrapper.stream") ?? "downstream";
    const toxicity = optNumber(input, "toxicity", "ToxicWrapper.toxicity") ?? 1;
    const rawAttributes = field(input, "attributes");
    if (rawAttributes !== undefined && (typeof rawAttributes !== "object" || Array.isArray(rawAttributes))) {
      throw badRequestBody(
        `json: cannot unmarshal ${jsonKind(rawAttributes)} into Go struct field .attributes`,
      );
    }
    const direction = parseDirection(stream);
    const name = optString(input, "name", "ToxicWrapper.name") || `${type}_${stream}`;
    const kind = toxicKind(type);
    if (!kind) throw invalidToxicType();
    if (this.find(name)) throw toxicAlreadyExists();
    const attributes = decodeAttributes(kind, (rawAttributes ?? {}) as JsonObject, defaults(kind));

    const toxic: ToxicRecord = { name, type, stream, direction, toxicity, attributes, kind };
    this.chains[direction].push(toxic);
    for (const connection of this.connections()) connection.link(direction)?.addToxic(toxic);
    return toxic;
  }

  /** POST/PATCH /proxies/{proxy}/toxics/{toxic}: a partial update of attributes and toxicity. */
  update(name: string, body: unknown): ToxicRecord {
    const current = this.get(name);
    const input = asObject(body, "struct { Attributes interface {}; Toxicity float32 }");
    const rawAttributes = field(input, "attributes");
    if (rawAttributes !== undefined && (typeof rawAttributes !== "object" || Array.isArray(rawAttributes))) {
      throw badRequestBody(
        `json: cannot unmarshal ${jsonKind(rawAttributes)} into Go struct field .attributes`,
      );
    }
    const attributes = decodeAttributes(
      current.kind,
      (rawAttributes ?? {}) as JsonObject,
      current.attributes,
    );
    const toxicity = optNumber(input, "toxicity", ".toxicity") ?? current.toxicity;

    const updated: ToxicRecord = { ...current, attributes, toxicity };
    const chain = this.chains[current.direction];
    chain[chain.indexOf(current)] = updated;
    for (const connection of this.connections()) connection.link(current.direction)?.updateToxic(updated);
    return updated;
  }

  remove(name: string): void {
    const toxic = this.get(name);
    const chain = this.chains[toxic.direction];
    chain.splice(chain.indexOf(toxic), 1);
    for (const connection of this.connections()) connection.link(toxic.direction)?.removeToxic(name);
  }

  /** Removes every toxic (POST /reset). */
  reset(): void {
    for (const toxic of this.list()) this.remove(toxic.name);
  }

  private find(name: string): ToxicRecord | undefined {
    return (
      this.chains.upstream.find((t) => t.name === name) ?? this.chains.downstream.find((t) => t.name === name)
    );
  }
}

function parseDirection(stream: string): Direction {
  const lower = stream.toLowerCase();
  if (lower === "upstream" || lower === "downstream") return lower;
  throw invalidStream();
}

function defaults(kind: ToxicKind): Record<string, number> {
  return Object.fromEntries(kind.attributes.map((name) => [name, 0]));
}

/** Decodes known attributes onto `base` (integers only); unknown ones are ignored, as Go does. */
function decodeAttributes(
  kind: ToxicKind,
  raw: JsonObject,
  base: Readonly<Record<string, number>>,
): Record<string, number> {
  const result: Record<string, number> = { ...base };
  for (const name of kind.attributes) {
    const value = optInteger(raw, name, `${structName(kind.type)}.${name}`);
    if (value !== undefined) result[name] = value;
  }
  return result;
}

function structName(type: string): string {
  const camel = type.replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase());
  return `${camel}Toxic`;
}
