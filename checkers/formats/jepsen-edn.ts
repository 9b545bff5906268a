/**
 * Jepsen EDN histories: one vector or list of op maps, or one map per line (history.edn). `:time` need not
 * be monotone, so file order is taken as real-time order (clock "position"). Keyword values become strings;
 * `:nemesis` and other non-integer processes are kept but are not clients.
 */
import type { Op, OpType, ProcessId } from "../../kernel/op.ts";
import { EdnReader, EdnSymbol, EdnSyntaxError, Keyword, toPlain } from "./edn-reader.ts";
import type { EdnValue } from "./edn-reader.ts";
import { badInput } from "./parsed.ts";
import type { Format, ParsedHistory } from "./parsed.ts";

const TYPES = new Set(["invoke", "ok", "fail", "info"]);

const nameOf = (v: EdnValue | undefined): string | undefined =>
  v instanceof Keyword || v instanceof EdnSymbol ? v.name : typeof v === "string" ? v : undefined;

/** One op map → Op; `pos` is its position among the file's ops, `line` where it starts. */
function toOp(form: EdnValue, pos: number, file: string, line: number): Op {
  if (!(form instanceof Map)) throw badInput(file, line, "expected an op map {:type … :process … :f …}");
  const extra: Record<string, unknown> = {};
  let index: number | undefined;
  let time: number | undefined;
  let type: string | undefined;
  let process: ProcessId | undefined;
  let f: string | undefined;
  let value: unknown = null;
  for (const [k, v] of form) {
    const key = nameOf(k) ?? JSON.stringify(toPlain(k));
    switch (key) {
      case "index":
        if (typeof v !== "number" || !Number.isInteger(v))
          throw badInput(file, line, ":index must be an integer");
        index = v;
        break;
      case "time":
        if (typeof v === "number" || typeof v === "bigint") time = Number(v);
        else if (v !== null) throw badInput(file, line, ":time must be a number");
        if (time !== undefined && !Number.isFinite(time)) throw badInput(file, line, ":time must be finite");
        break;
      case "type":
        type = nameOf(v);
        if (type === undefined || !TYPES.has(type)) {
          throw badInput(
            file,
            line,
            `:type must be :invoke, :ok, :fail or :info, got ${JSON.stringify(toPlain(v ?? null))}`,
          );
        }
        break;
      case "process":
        if (typeof v === "number" && Number.isInteger(v)) process = v;
        else if (nameOf(v) !== undefined)
          process = nameOf(v) as ProcessId; // :nemesis etc.: not a client
        else throw badInput(file, line, ":process must be an integer or a keyword");
        break;
      case "f":
        f = nameOf(v) ?? (typeof v === "number" ? String(v) : undefined);
        if (f === undefined) throw badInput(file, line, ":f must be a keyword");
        break;
      case "value":
        value = toPlain(v);
        break;
      default:
        extra[key] = toPlain(v);
    }
  }
  if (type === undefined) throw badInput(file, line, "op without :type");
  if (process === undefined) throw badInput(file, line, "op without :process");
  if (f === undefined) throw badInput(file, line, "op without :f");
  return { ...extra, index: index ?? pos, time: time ?? pos, type: type as OpType, process, f, value };
}

/** Parse a Jepsen EDN history (also Porcupine's kv logs, reported as `format`). */
export function parseJepsenEdn(text: string, file = "<input>", format: Format = "jepsen-edn"): ParsedHistory {
  const r = new EdnReader(text);
  const history: Op[] = [];
  const warnings: string[] = [];
  const torn = text.length > 0 && !text.endsWith("\n");
  try {
    const first = r.peek();
    if (first === "[" || first === "(") {
      // one collection of ops
      const close = r.take() === "[" ? "]" : ")";
      for (;;) {
        r.skipDiscards();
        const c = r.peek();
        if (c === close) {
          r.take();
          break;
        }
        if (c === "") {
          warnings.push(
            `${file}:${r.line}: history ends inside its ${close === "]" ? "vector" : "list"}; ${history.length} ops read`,
          );
          break;
        }
        const line = r.line;
        history.push(toOp(r.read(), history.length, file, line));
      }
      if (!r.atEnd()) throw badInput(file, r.line, "unexpected data after the history");
    } else {
      // one map per line
      while (!r.atEnd()) {
        const line = r.line;
        let form: EdnValue;
        try {
          form = r.read();
        } catch (e) {
          if (e instanceof EdnSyntaxError && e.eof && torn) {
            warnings.push(`${file}:${line}: torn last line ignored`);
            break;
          }
          throw e;
        }
        history.push(toOp(form, history.length, file, line));
      }
    }
  } catch (e) {
    if (e instanceof EdnSyntaxError) throw badInput(file, e.line, `bad EDN: ${e.message}`);
    throw e;
  }
  return { format, history, clock: "position", warnings };
}
