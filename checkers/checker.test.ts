import { describe, expect, it } from "vitest";
import { checkSafe, compose, worst } from "./checker.ts";
import type { Checker } from "./checker.ts";

const fixed = (name: string, valid: true | false | "unknown"): Checker => ({
  name,
  check: () => ({ valid }),
});

describe("worst", () => {
  it("ranks false over unknown over true", () => {
    expect(worst()).toBe(true);
    expect(worst(true, true)).toBe(true);
    expect(worst(true, "unknown")).toBe("unknown");
    expect(worst("unknown", false, true)).toBe(false);
  });
});

describe("checkSafe", () => {
  it("turns a throw into unknown with the error", async () => {
    const bad: Checker = {
      name: "bad",
      check: () => {
        throw new Error("boom");
      },
    };
    expect(await checkSafe(bad, [])).toEqual({ valid: "unknown", error: "boom" });
  });

  it("turns a result without a verdict into unknown", async () => {
    const odd = { name: "odd", check: () => ({}) as never };
    expect((await checkSafe(odd, [])).valid).toBe("unknown");
  });

  it("passes async results through", async () => {
    const c: Checker = { name: "a", check: async () => ({ valid: true, n: 1 }) };
    expect(await checkSafe(c, [])).toEqual({ valid: true, n: 1 });
  });
});

describe("compose", () => {
  it("merges results by name, worst wins", async () => {
    const r = await compose([fixed("a", true), fixed("b", "unknown"), fixed("c", false)]).check([]);
    expect(r.valid).toBe(false);
    expect(Object.keys(r.checkers)).toEqual(["a", "b", "c"]);
    expect(r.checkers.b!.valid).toBe("unknown");
  });

  it("is unknown when a checker crashes and none is invalid", async () => {
    const crash: Checker = {
      name: "crash",
      check: () => {
        throw new Error("x");
      },
    };
    const r = await compose([fixed("a", true), crash]).check([]);
    expect(r.valid).toBe("unknown");
    expect(r.checkers.crash!.error).toBe("x");
  });

  it("rejects two checkers with one name", () => {
    expect(() => compose([fixed("a", true), fixed("a", true)])).toThrow(/two checkers/);
  });
});
