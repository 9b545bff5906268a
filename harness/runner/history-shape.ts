import { type Op, isNemesisOp } from "../../kernel/op.ts";

/**
 * Problems with a history's shape (empty when well-formed): dense indexes; per client process, invokes and
 * completions alternate, a completion matches its invoke's f, times never go back, and a process that
 * completed with info never appears again; nemesis ops are invoke/info pairs.
 */
export function historyShapeProblems(history: readonly Op[]): string[] {
  const problems: string[] = [];
  const open = new Map<string, Op>();
  const lastTime = new Map<string, number>();
  const retired = new Set<string>();
  history.forEach((op, i) => {
    if (op.index !== i) problems.push(`op ${i} has index ${op.index}`);
    const p = String(op.process);
    if (retired.has(p)) problems.push(`process ${p} reappears at ${i} after an info`);
    if ((lastTime.get(p) ?? -Infinity) > op.time) problems.push(`time goes back for process ${p} at ${i}`);
    lastTime.set(p, op.time);
    const pending = open.get(p);
    if (op.type === "invoke") {
      if (pending) problems.push(`process ${p} invokes at ${i} while ${pending.index} is open`);
      open.set(p, op);
    } else {
      if (!pending) problems.push(`completion ${i} of process ${p} has no invoke`);
      else if (pending.f !== op.f)
        problems.push(`completion ${i} (${op.f}) does not match invoke ${pending.index} (${pending.f})`);
      if (isNemesisOp(op) && op.type !== "info") problems.push(`nemesis op ${i} is ${op.type}, not info`);
      open.delete(p);
      if (op.type === "info" && !isNemesisOp(op)) retired.add(p);
    }
  });
  return problems;
}
