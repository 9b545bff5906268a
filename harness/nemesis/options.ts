/**
 * Checks on a nemesis's option bag. Options may come from a CLI flag or a stored test.json, so each nemesis
 * checks its own at construction and a mistake is one clear BadInputError (exit 254), never a late throw.
 */
import { BadInputError } from "../../kernel/errors.ts";

/** Throws if `options` has a key the nemesis does not know (e.g. partition options given to latency). */
export function checkKeys(nemesis: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options))
    if (!known.includes(key))
      throw new BadInputError(
        `${nemesis} nemesis: unknown option "${key}" (known: ${known.join(", ") || "none"})`,
      );
}

/** A non-empty list drawn from `allowed`, or `fallback` when absent. */
export function checkChoices<T extends string>(
  nemesis: string,
  option: string,
  values: readonly T[] | undefined,
  allowed: readonly T[],
  fallback: readonly T[] = allowed,
): readonly T[] {
  if (values === undefined) return fallback;
  if (!Array.isArray(values) || values.length === 0)
    throw new BadInputError(
      `${nemesis} nemesis: ${option} must be a non-empty list of ${allowed.join(", ")}`,
    );
  for (const v of values)
    if (!allowed.includes(v))
      throw new BadInputError(
        `${nemesis} nemesis: ${option} "${String(v)}" is not one of ${allowed.join(", ")}`,
      );
  return [...new Set(values)];
}

/** A finite number ≥ min, or `fallback` when absent. */
export function checkNumber(
  nemesis: string,
  option: string,
  value: number | undefined,
  fallback: number,
  min = 0,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min)
    throw new BadInputError(`${nemesis} nemesis: ${option} must be a number ≥ ${min}, got ${String(value)}`);
  return value;
}
