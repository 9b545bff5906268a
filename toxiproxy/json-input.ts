/**
 * Lenient request-body decoding with Go's encoding/json rules as toxiproxy relies on them: unknown fields
 * are ignored, keys match case-insensitively, null leaves a field at its default, and a value of the wrong
 * type (a float for an integer) is a 400 "bad request body".
 */
import { badRequestBody } from "./errors.ts";

export type JsonObject = Record<string, unknown>;

export function parseJson(text: string): unknown {
  if (text.trim() === "") throw badRequestBody("EOF");
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequestBody((err as Error).message);
  }
}

export function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "object" : typeof value;
}

export function asObject(value: unknown, goType: string): JsonObject {
  if (value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw badRequestBody(`json: cannot unmarshal ${jsonKind(value)} into Go value of type ${goType}`);
  }
  return value as JsonObject;
}

/** The value under `key`, matched exactly or else case-insensitively; undefined when absent or null. */
export function field(obj: JsonObject, key: string): unknown {
  let value = obj[key];
  if (value === undefined) {
    const lower = key.toLowerCase();
    const match = Object.keys(obj).find((k) => k.toLowerCase() === lower);
    value = match === undefined ? undefined : obj[match];
  }
  return value === null ? undefined : value;
}

function mismatch(value: unknown, where: string, type: string): Error {
  return badRequestBody(
    `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${where} of type ${type}`,
  );
}

export function optString(obj: JsonObject, key: string, where: string): string | undefined {
  const value = field(obj, key);
  if (value === undefined || typeof value === "string") return value;
  throw mismatch(value, where, "string");
}

export function optBool(obj: JsonObject, key: string, where: string): boolean | undefined {
  const value = field(obj, key);
  if (value === undefined || typeof value === "boolean") return value;
  throw mismatch(value, where, "bool");
}

export function optNumber(obj: JsonObject, key: string, where: string): number | undefined {
  const value = field(obj, key);
  if (value === undefined || typeof value === "number") return value;
  throw mismatch(value, where, "float32");
}

export function optInteger(obj: JsonObject, key: string, where: string): number | undefined {
  const value = field(obj, key);
  if (value === undefined) return undefined;
  if (typeof value !== "number") throw mismatch(value, where, "int64");
  if (!Number.isSafeInteger(value)) {
    throw badRequestBody(
      `json: cannot unmarshal number ${value} into Go struct field ${where} of type int64`,
    );
  }
  return value;
}
