/**
 * The guarded resource's log (resource.jsonl): one JSON object per line, see ResourceEvent. `holder` may
 * also be spelled `client`, `process` or `session`; `op` defaults to "write". A torn last line is a warning.
 */
import type { ResourceEvent } from "../../kernel/resource.ts";
import { parseJsonLines } from "./jsonl.ts";
import { badInput } from "./parsed.ts";

/** Parse a resource log; warnings (a torn last line) go to `warnings`. */
export function parseResourceLog(text: string, file = "<input>", warnings: string[] = []): ResourceEvent[] {
  const out: ResourceEvent[] = [];
  parseJsonLines(text, file, warnings, (v, line) => {
    if (v === null || typeof v !== "object" || Array.isArray(v))
      throw badInput(file, line, "expected a JSON object");
    const o = v as Record<string, unknown>;
    if (typeof o.time !== "number" || !Number.isFinite(o.time))
      throw badInput(file, line, `"time" must be a number`);
    const holder = o.holder ?? o.client ?? o.process ?? o.session;
    if (typeof holder !== "string" && typeof holder !== "number") {
      throw badInput(file, line, `"holder" (or client/process/session) must be a string or number`);
    }
    if (typeof o.accepted !== "boolean") throw badInput(file, line, `"accepted" must be true or false`);
    out.push({
      ...o,
      time: o.time,
      holder,
      op: typeof o.op === "string" ? o.op : "write",
      accepted: o.accepted,
    });
  });
  return out;
}
