import { describe, expect, it } from "vitest";
import { history, seq } from "../../testing/history.ts";
import { checkLinearizable } from "../linearizable.ts";
import { BadInputError } from "../../../kernel/errors.ts";
import { UNKNOWN } from "../model.ts";
import { casRegister } from "./cas-register.ts";
import { fifoQueue } from "./fifo-queue.ts";
import { inferModel, MODEL_NAMES, modelByName } from "./index.ts";
import { kv } from "./kv.ts";
import { multiRegister } from "./multi-register.ts";
import { mutex } from "./mutex.ts";
import { register } from "./register.ts";
import { set } from "./set.ts";
import { unorderedQueue } from "./unordered-queue.ts";

const v = (h: ReturnType<typeof history>, m: Parameters<typeof checkLinearizable>[1]) =>
  checkLinearizable(h, m).valid;

describe("register", () => {
  it("reads the last write; starts as nil", () => {
    expect(
      v(
        history(
          ...seq(0, "read", null, "ok", null),
          ...seq(0, "write", 3, "ok"),
          ...seq(1, "read", null, "ok", 3),
        ),
        register(),
      ),
    ).toBe(true);
    expect(v(history(...seq(0, "write", 3, "ok"), ...seq(1, "read", null, "ok", null)), register())).toBe(
      false,
    );
  });
  it("compares structured values by content", () => {
    expect(
      v(
        history(...seq(0, "write", { a: 1, b: [2] }, "ok"), ...seq(1, "read", null, "ok", { b: [2], a: 1 })),
        register(),
      ),
    ).toBe(true);
  });
  it("ignores cas (not a register op)", () => {
    expect(checkLinearizable(history(...seq(0, "cas", [1, 2], "ok")), register()).ignored).toBe(1);
  });
});

describe("cas-register", () => {
  it("a cas ok means the compare matched", () => {
    expect(
      v(
        history(
          ...seq(0, "write", 1, "ok"),
          ...seq(0, "cas", [1, 2], "ok"),
          ...seq(1, "read", null, "ok", 2),
        ),
        casRegister(),
      ),
    ).toBe(true);
    expect(v(history(...seq(0, "write", 1, "ok"), ...seq(0, "cas", [3, 2], "ok")), casRegister())).toBe(
      false,
    );
  });
  it("a cas from nil works on a fresh register", () => {
    expect(
      v(history(...seq(0, "cas", [null, 1], "ok"), ...seq(1, "read", null, "ok", 1)), casRegister()),
    ).toBe(true);
  });
  it("an info cas takes effect only where it matches", () => {
    const h = history(
      ...seq(0, "write", 1, "ok"),
      [1, "invoke", "cas", [1, 5]],
      [1, "info", "cas", [1, 5]],
      ...seq(2, "read", null, "ok", 5),
    );
    expect(v(h, casRegister())).toBe(true);
    const wrong = history(
      ...seq(0, "write", 1, "ok"),
      [1, "invoke", "cas", [9, 5]],
      [1, "info", "cas", [9, 5]],
      ...seq(2, "read", null, "ok", 5),
    );
    expect(v(wrong, casRegister())).toBe(false);
  });
  it("accepts {from, to} cas values", () => {
    expect(
      v(
        history(
          ...seq(0, "write", 1, "ok"),
          ...seq(0, "cas", { from: 1, to: 2 }, "ok"),
          ...seq(0, "read", null, "ok", 2),
        ),
        casRegister(),
      ),
    ).toBe(true);
  });
});

describe("mutex", () => {
  it("one holder at a time", () => {
    expect(
      v(
        history(
          ...seq(0, "acquire", null, "ok"),
          ...seq(0, "release", null, "ok"),
          ...seq(1, "acquire", null, "ok"),
        ),
        mutex(),
      ),
    ).toBe(true);
    expect(v(history(...seq(0, "acquire", null, "ok"), ...seq(1, "acquire", null, "ok")), mutex())).toBe(
      false,
    );
    expect(v(history(...seq(0, "release", null, "ok")), mutex())).toBe(false);
  });
  it("an info acquire may not have happened; a failed one did not", () => {
    const info = history(
      [0, "invoke", "acquire", null],
      [0, "info", "acquire", null],
      ...seq(1, "acquire", null, "ok"),
    );
    expect(v(info, mutex())).toBe(true);
    const failed = history(
      ...seq(0, "acquire", null, "ok"),
      ...seq(1, "acquire", null, "fail"),
      ...seq(0, "release", null, "ok"),
    );
    expect(v(failed, mutex())).toBe(true);
  });
  it("an info release lets the lock go free (or not)", () => {
    const h = history(
      ...seq(0, "acquire", null, "ok"),
      [0, "invoke", "release", null],
      [0, "info", "release", null],
      ...seq(1, "acquire", null, "ok"),
    );
    expect(v(h, mutex())).toBe(true);
  });
});

describe("fifo-queue", () => {
  it("dequeues in order", () => {
    const h = history(
      ...seq(0, "enqueue", 1, "ok"),
      ...seq(0, "enqueue", 2, "ok"),
      ...seq(1, "dequeue", null, "ok", 1),
      ...seq(1, "dequeue", null, "ok", 2),
      ...seq(1, "dequeue", null, "ok", null),
    );
    expect(v(h, fifoQueue())).toBe(true);
    const bad = history(
      ...seq(0, "enqueue", 1, "ok"),
      ...seq(0, "enqueue", 2, "ok"),
      ...seq(1, "dequeue", null, "ok", 2),
    );
    expect(v(bad, fifoQueue())).toBe(false);
  });
  it("an info dequeue may have taken the head", () => {
    const h = history(
      ...seq(0, "enqueue", 1, "ok"),
      ...seq(0, "enqueue", 2, "ok"),
      [1, "invoke", "dequeue", null],
      [1, "info", "dequeue", null],
      ...seq(2, "dequeue", null, "ok", 2),
    );
    expect(v(h, fifoQueue())).toBe(true);
  });
  it("empty means empty", () => {
    expect(
      v(history(...seq(0, "enqueue", 1, "ok"), ...seq(1, "dequeue", null, "ok", null)), fifoQueue()),
    ).toBe(false);
  });
});

describe("unordered-queue", () => {
  it("dequeues in any order, each element once", () => {
    const h = history(
      ...seq(0, "enqueue", 1, "ok"),
      ...seq(0, "enqueue", 2, "ok"),
      ...seq(1, "dequeue", null, "ok", 2),
      ...seq(1, "dequeue", null, "ok", 1),
    );
    expect(v(h, unorderedQueue())).toBe(true);
    const twice = history(
      ...seq(0, "enqueue", 1, "ok"),
      ...seq(1, "dequeue", null, "ok", 1),
      ...seq(1, "dequeue", null, "ok", 1),
    );
    expect(v(twice, unorderedQueue())).toBe(false);
  });
  it("an info dequeue removed some element, which one unknown", () => {
    const h = history(
      ...seq(0, "enqueue", 1, "ok"),
      ...seq(0, "enqueue", 2, "ok"),
      [1, "invoke", "dequeue", null],
      [1, "info", "dequeue", null],
      ...seq(2, "dequeue", null, "ok", 1),
      ...seq(2, "dequeue", null, "ok", null),
    );
    expect(v(h, unorderedQueue())).toBe(true);
  });
});

describe("set", () => {
  it("a read sees every add so far", () => {
    const h = history(
      ...seq(0, "add", 1, "ok"),
      ...seq(1, "add", 2, "ok"),
      ...seq(2, "read", null, "ok", [2, 1]),
    );
    expect(v(h, set())).toBe(true);
    const lost = history(
      ...seq(0, "add", 1, "ok"),
      ...seq(1, "add", 2, "ok"),
      ...seq(2, "read", null, "ok", [2]),
    );
    expect(v(lost, set())).toBe(false);
  });
  it("a read that misses an element no later read can bring back fails early (lookahead)", () => {
    const h = history(...seq(0, "add", 1, "ok"), [1, "invoke", "read", null], ...seq(2, "add", 2, "ok"), [
      1,
      "ok",
      "read",
      [2],
    ]);
    expect(v(h, set())).toBe(false);
  });
  it("an info add may show up", () => {
    const h = history(
      [0, "invoke", "add", 1],
      [0, "info", "add", 1],
      ...seq(2, "read", null, "ok", []),
      ...seq(2, "read", null, "ok", [1]),
    );
    expect(v(h, set())).toBe(true);
  });
});

describe("multi-register", () => {
  it("applies micro-ops in order; reads see writes", () => {
    const h = history(
      [
        0,
        "invoke",
        "txn",
        [
          ["w", "x", 1],
          ["w", "y", 2],
        ],
      ],
      [
        0,
        "ok",
        "txn",
        [
          ["w", "x", 1],
          ["w", "y", 2],
        ],
      ],
      [
        1,
        "invoke",
        "txn",
        [
          ["r", "x", null],
          ["r", "y", null],
          ["r", "z", null],
        ],
      ],
      [
        1,
        "ok",
        "txn",
        [
          ["r", "x", 1],
          ["r", "y", 2],
          ["r", "z", null],
        ],
      ],
    );
    expect(v(h, multiRegister())).toBe(true);
  });
  it("rejects a torn read of a transaction", () => {
    const h = history(
      [
        0,
        "invoke",
        "txn",
        [
          ["w", "x", 1],
          ["w", "y", 1],
        ],
      ],
      [
        0,
        "ok",
        "txn",
        [
          ["w", "x", 1],
          ["w", "y", 1],
        ],
      ],
      [
        1,
        "invoke",
        "txn",
        [
          ["r", "x", null],
          ["r", "y", null],
        ],
      ],
      [
        1,
        "ok",
        "txn",
        [
          ["r", "x", 1],
          ["r", "y", null],
        ],
      ],
    );
    expect(v(h, multiRegister())).toBe(false);
  });
});

describe("kv", () => {
  const op = (
    p: number,
    f: string,
    key: string,
    value: unknown,
    type: "ok" | "info" | "fail" = "ok",
    out: unknown = value,
  ) =>
    [
      [p, "invoke", f, value, undefined, { key }],
      [p, type, f, out, undefined, { key }],
    ] as const;
  it("get / put / append per key", () => {
    const h = history(
      ...op(0, "put", "a", "x"),
      ...op(0, "append", "a", "y"),
      ...op(1, "get", "a", null, "ok", "xy"),
      ...op(1, "get", "b", null, "ok", ""),
    );
    expect(v(h, kv())).toBe(true);
    const bad = history(...op(0, "put", "a", "x"), ...op(1, "get", "a", null, "ok", "xy"));
    expect(v(bad, kv())).toBe(false);
  });
  it("reads keys from [key, value] and {key, value} values", () => {
    const h = history(
      ...seq(0, "put", ["k", "v"], "ok"),
      ...seq(1, "get", { key: "k" }, "ok", { key: "k", value: "v" }),
    );
    expect(v(h, kv())).toBe(true);
  });
  it("read lookahead: a put that may still come first keeps an unreachable-looking get possible", () => {
    // "ab" is there; a get returns "c", which only a put "c" (concurrent with the get) can explain
    const h = history(
      ...op(0, "put", "a", "a"),
      ...op(0, "append", "a", "b"),
      [1, "invoke", "get", null, undefined, { key: "a" }],
      [2, "invoke", "put", "c", undefined, { key: "a" }],
      [2, "ok", "put", "c", undefined, { key: "a" }],
      [1, "ok", "get", "c", undefined, { key: "a" }],
    );
    expect(v(h, kv())).toBe(true);
    expect(checkLinearizable(h, kv(), { partition: false }).valid).toBe(true);
    // without the put it is impossible, and the evidence names the get
    const bad = history(
      ...op(0, "put", "a", "a"),
      ...op(0, "append", "a", "b"),
      ...op(1, "get", "a", null, "ok", "c"),
    );
    const r = checkLinearizable(bad, kv());
    expect(r.valid).toBe(false);
    expect(r.evidence?.failedOp.op).toBe('get("a") → "c"');
  });

  it("an empty value is the same as an absent key", () => {
    const h = history(
      ...op(0, "put", "a", "x"),
      ...op(0, "put", "a", ""),
      ...op(1, "get", "a", null, "ok", null),
    );
    expect(v(h, kv())).toBe(true);
  });
});

describe("registry", () => {
  it("hands out every model by name", () => {
    for (const name of MODEL_NAMES) expect(modelByName(name)?.name).toBe(name);
    expect(modelByName("nope")).toBeUndefined();
    expect(modelByName("toString")).toBeUndefined();
  });
  it("infers a model from f values", () => {
    expect(inferModel(new Set(["read", "write"]))).toBe("cas-register");
    expect(inferModel(new Set(["get", "append"]))).toBe("kv");
    expect(inferModel(new Set(["acquire", "release"]))).toBe("mutex");
    expect(inferModel(new Set(["enqueue", "dequeue"]))).toBeUndefined();
    expect(inferModel(new Set())).toBeUndefined();
  });
  it("every model accepts an unknown output in its initial state", () => {
    const inputs: Record<string, unknown[]> = {
      register: [{ f: "read" }, { f: "write", value: 1 }],
      "cas-register": [{ f: "read" }, { f: "write", value: 1 }, { f: "cas", expected: 2, value: 3 }],
      mutex: ["acquire", "release"],
      "fifo-queue": [{ f: "enqueue", value: "1" }, { f: "dequeue" }],
      "unordered-queue": [{ f: "enqueue", value: "1" }, { f: "dequeue" }],
      set: [{ f: "add", value: "1" }, { f: "read" }],
      "multi-register": [
        [
          { f: "r", key: "x", value: null },
          { f: "w", key: "x", value: 1 },
        ],
      ],
      kv: [
        { f: "get", key: "k", value: "" },
        { f: "append", key: "k", value: "x" },
      ],
    };
    for (const name of MODEL_NAMES) {
      const m = modelByName(name)!;
      expect(inputs[name], name).toBeDefined();
      for (const input of inputs[name]!)
        expect(m.step(m.init(), input, UNKNOWN)[0], `${name} ${JSON.stringify(input)}`).toBe(true);
    }
  });
});

describe("initial states (check --init)", () => {
  it("each model starts from the state it is given", () => {
    const reads = (m: Parameters<typeof checkLinearizable>[1], f: string, out: unknown) =>
      v(history(...seq(0, f, null, "ok", out)), m);
    expect(reads(modelByName("register", 0)!, "read", 0)).toBe(true);
    expect(reads(modelByName("register")!, "read", 0)).toBe(false);
    expect(reads(modelByName("cas-register", "a")!, "read", "a")).toBe(true);
    expect(reads(modelByName("set", [2, 1, 2])!, "read", [1, 2])).toBe(true);
    expect(reads(modelByName("set")!, "read", [1, 2])).toBe(false);
    expect(reads(modelByName("fifo-queue", [5, 6])!, "dequeue", 5)).toBe(true);
    expect(reads(modelByName("fifo-queue", [5, 6])!, "dequeue", 6)).toBe(false);
    expect(reads(modelByName("unordered-queue", [5, 6])!, "dequeue", 6)).toBe(true);
    expect(reads(modelByName("unordered-queue")!, "dequeue", 6)).toBe(false);
    expect(v(history(...seq(0, "acquire", null, "ok")), modelByName("mutex", true)!)).toBe(false);
    expect(v(history(...seq(0, "release", null, "ok")), modelByName("mutex", true)!)).toBe(true);
    expect(v(history(...seq(0, "get", ["a", null], "ok", ["a", "x"])), modelByName("kv", { a: "x" })!)).toBe(
      true,
    );
    expect(v(history(...seq(0, "get", ["a", null], "ok", ["a", "x"])), modelByName("kv")!)).toBe(false);
    const txn = (out: unknown) =>
      history(
        [
          0,
          "invoke",
          "txn",
          [
            ["r", "x", null],
            ["r", "y", null],
          ],
        ],
        [0, "ok", "txn", out],
      );
    expect(
      v(
        txn([
          ["r", "x", 0],
          ["r", "y", 0],
        ]),
        modelByName("multi-register", { x: 0, y: 0 })!,
      ),
    ).toBe(true);
    expect(
      v(
        txn([
          ["r", "x", 0],
          ["r", "y", 0],
        ]),
        modelByName("multi-register")!,
      ),
    ).toBe(false);
    expect(
      v(
        txn([
          ["r", "x", 0],
          ["r", "y", null],
        ]),
        multiRegister({ x: 0 }),
      ),
    ).toBe(true);
  });

  it("a state the model cannot take is one BadInputError line naming what fits", () => {
    const bad: [string, unknown, RegExp][] = [
      ["multi-register", 0, /multi-register must be an object of key → value, like \{"x":0,"y":0\}, got 0/],
      ["multi-register", [1], /got \[1\]/],
      ["multi-register", null, /got null/],
      ["mutex", "held", /true \(held\) or false \(free\)/],
      ["set", { a: 1 }, /must be a list/],
      ["fifo-queue", 3, /must be a list/],
      ["unordered-queue", "x", /must be a list/],
      ["kv", { a: 1 }, /key → string/],
    ];
    for (const [name, init, message] of bad) {
      expect(() => modelByName(name, init), name).toThrow(BadInputError);
      expect(() => modelByName(name, init), name).toThrow(message);
    }
    // any JSON value is a register's state; an unknown model is still undefined
    expect(modelByName("register", { a: [1] })?.name).toBe("register");
    expect(modelByName("nope", 0)).toBeUndefined();
  });
});
