import { describe, expect, it } from "vitest";
import { withInitialState } from "./check-history.ts";
import { linearizable, type LinearizableChecker } from "./linearizable/linearizable.ts";
import { casRegister } from "./linearizable/models/cas-register.ts";

describe("a run's own linearizability checker, from another initial state (--init)", () => {
  it("keeps the model, the name and the options it was built with (a register's search time limit)", () => {
    const own = linearizable(casRegister(null), { timeoutMs: 60_000 }, "linearizable");
    const rebuilt = withInitialState(own, { format: "jsonl", clock: "time", init: 5 }) as LinearizableChecker;
    expect(rebuilt).not.toBe(own);
    expect(rebuilt.name).toBe("linearizable");
    expect(rebuilt.model).toBe(own.model);
    expect(rebuilt.defaults).toMatchObject({ timeoutMs: 60_000, clock: "time" });
  });
});
