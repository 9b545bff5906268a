import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { classify, outcomeOf } from "./classify.ts";
import { fromNativeError, nativeConstants } from "./drivers/native.ts";
import { fromPureJsError, pureJsLibrary } from "./drivers/pure-js.ts";
import { UnsupportedError, ZK_ERROR_CODES, ZkError, type ZkErrorCode } from "./errors.ts";

const require = createRequire(import.meta.url);
const C = nativeConstants();
const { Exception } = pureJsLibrary;
/** The `zookeeper` package's own helper, used by its promise API for calls refused before sending. */
const { findZkConstantByCode } = require("zookeeper/lib/helper") as {
  findZkConstantByCode(code: number, constants: object): [string, number];
};

/** What `zookeeper`'s lib/zk_promise.js rejects with when a completion reports rc != 0. */
const nativeCompletion = (rc: number, text: string) => new Error(`${rc} ${text}`);
/** What it rejects with when the C call itself returns rc < 0 (nothing was sent). */
const nativeRefused = (fnName: string, args: unknown[], rc: number) => {
  const [key, value] = findZkConstantByCode(rc, C);
  return new Error(`fn: "${fnName}" args: "${String(args)}" result: "${key} ${value}"`);
};
/** What node-zookeeper-client calls back with. */
const pureJs = (name: string) => Exception.create(Exception[name] as number);

const definite: ZkErrorCode[] = [
  "BADVERSION",
  "NODEEXISTS",
  "NONODE",
  "NOTEMPTY",
  "NOAUTH",
  "UNIMPLEMENTED",
  "INVALIDSTATE",
];
const indeterminate: ZkErrorCode[] = [
  "CONNECTIONLOSS",
  "OPERATIONTIMEOUT",
  "SESSIONEXPIRED",
  "SESSIONMOVED",
  "TIMEOUT",
  "OTHER",
];

describe("classify: the outcome table", () => {
  it("covers every code exactly once", () => {
    expect([...definite, ...indeterminate].sort()).toEqual([...ZK_ERROR_CODES].sort());
  });

  it.each(definite)("%s on a write is fail: the server refused it or it was never sent", (code) => {
    expect(classify(new ZkError(code, null, "setData", "/r"), "write")).toEqual({
      type: "fail",
      error: code,
    });
  });

  it.each(indeterminate)("%s on a write is info: it may have been applied", (code) => {
    expect(classify(new ZkError(code, null, "create", "/q/item-"), "write")).toEqual({
      type: "info",
      error: code,
    });
  });

  it.each([...definite, ...indeterminate])("%s on a read is fail: a read has no side effect", (code) => {
    expect(classify(new ZkError(code, null, "getData", "/r"), "read")).toEqual({ type: "fail", error: code });
  });

  it("an error that is not ours is info on a write and fail on a read", () => {
    expect(classify(new TypeError("boom"), "write")).toEqual({ type: "info", error: "unknown: boom" });
    expect(classify("weird", "read")).toEqual({ type: "fail", error: "unknown: weird" });
  });

  it("reads a normalized code from any error object carrying one", () => {
    const err = Object.assign(new Error("no session"), { code: "CONNECTIONLOSS" });
    expect(classify(err, "write")).toEqual({ type: "info", error: "CONNECTIONLOSS" });
    expect(classify(Object.assign(new Error("x"), { code: "ECONNRESET" }), "write").type).toBe("info");
  });

  it("multi on a driver without it is a definite fail", () => {
    const err = new UnsupportedError("multi", "zookeeper");
    expect(err).toBeInstanceOf(ZkError);
    expect(classify(err, "write")).toEqual({ type: "fail", error: "UNIMPLEMENTED" });
  });
});

describe("the native driver's raw errors (zookeeper package)", () => {
  const cases: [number | undefined, string, ZkErrorCode, "fail" | "info"][] = [
    [C.ZBADVERSION, "bad version", "BADVERSION", "fail"],
    [C.ZNODEEXISTS, "node exists", "NODEEXISTS", "fail"],
    [C.ZNONODE, "no node", "NONODE", "fail"],
    [C.ZNOTEMPTY, "not empty", "NOTEMPTY", "fail"],
    [C.ZNOAUTH, "not authenticated", "NOAUTH", "fail"],
    [C.ZUNIMPLEMENTED, "unimplemented", "UNIMPLEMENTED", "fail"],
    [C.ZCONNECTIONLOSS, "connection loss", "CONNECTIONLOSS", "info"],
    [C.ZOPERATIONTIMEOUT, "operation timeout", "OPERATIONTIMEOUT", "info"],
    [C.ZSESSIONEXPIRED, "session expired", "SESSIONEXPIRED", "info"],
    [C.ZSESSIONMOVED, "session moved", "SESSIONMOVED", "info"],
    [C.ZCLOSING, "zookeeper is closing", "OTHER", "info"],
    [C.ZMARSHALLINGERROR, "marshalling error", "OTHER", "info"],
  ];

  it.each(cases)("completion rc %d (%s) → %s → %s on a write", (rc, text, code, type) => {
    expect(rc).toBeTypeOf("number");
    const err = fromNativeError(nativeCompletion(rc!, text), "setData", "/r");
    expect(err).toMatchObject({ code, rc, op: "setData", path: "/r" });
    expect(classify(err, "write")).toEqual({ type, error: code });
    expect(classify(err, "read").type).toBe("fail");
  });

  it("a call refused before sending (closed handle) → INVALIDSTATE → fail", () => {
    const raw = nativeRefused("a_get", ["/r", false], C.ZINVALIDSTATE!);
    expect(raw.message).toBe(`fn: "a_get" args: "/r,false" result: "ZINVALIDSTATE ${C.ZINVALIDSTATE}"`);
    const err = fromNativeError(raw, "getData", "/r");
    expect(err).toMatchObject({ code: "INVALIDSTATE", rc: C.ZINVALIDSTATE });
    expect(classify(err, "write").type).toBe("fail");
  });

  it("a refused call with bad arguments → OTHER", () => {
    const err = fromNativeError(nativeRefused("a_create", ["bad path", "", 0], C.ZBADARGUMENTS!), "create");
    expect(err).toMatchObject({ code: "OTHER", rc: C.ZBADARGUMENTS });
  });

  it("an error without a return code → OTHER with rc null → info on a write", () => {
    const err = fromNativeError(new Error("Must pass ZK init object"), "connect");
    expect(err).toMatchObject({ code: "OTHER", rc: null });
    expect(classify(err, "write").type).toBe("info");
  });
});

describe("the pure-JS driver's raw errors (node-zookeeper-client)", () => {
  const cases: [string, ZkErrorCode, "fail" | "info"][] = [
    ["BAD_VERSION", "BADVERSION", "fail"],
    ["NODE_EXISTS", "NODEEXISTS", "fail"],
    ["NO_NODE", "NONODE", "fail"],
    ["NOT_EMPTY", "NOTEMPTY", "fail"],
    ["NO_AUTH", "NOAUTH", "fail"],
    ["UNIMPLEMENTED", "UNIMPLEMENTED", "fail"],
    ["CONNECTION_LOSS", "CONNECTIONLOSS", "info"],
    ["OPERATION_TIMEOUT", "OPERATIONTIMEOUT", "info"],
    ["SESSION_EXPIRED", "SESSIONEXPIRED", "info"],
    ["AUTH_FAILED", "OTHER", "info"],
    ["RUNTIME_INCONSISTENCY", "OTHER", "info"],
  ];

  it.each(cases)("Exception %s → %s → %s on a write", (name, code, type) => {
    const raw = pureJs(name);
    const err = fromPureJsError(raw, "multi");
    expect(err).toMatchObject({ code, rc: Exception[name], op: "multi" });
    expect(classify(err, "write")).toEqual({ type, error: code });
    expect(classify(err, "read").type).toBe("fail");
  });

  it("its argument checks (AssertionError, thrown before sending) → OTHER", () => {
    let raw: unknown;
    try {
      pureJsLibrary.createClient("127.0.0.1:1", {}).create("no-slash", Buffer.alloc(0), 0, () => undefined);
    } catch (e) {
      raw = e;
    }
    expect(raw).toBeInstanceOf(Error);
    expect(fromPureJsError(raw, "create", "no-slash")).toMatchObject({ code: "OTHER", rc: null });
  });
});

describe("outcomeOf", () => {
  it("keeps what the op returned, and turns what it threw into fail or info by the table", async () => {
    expect(await outcomeOf(async () => ({ type: "ok", value: 1 }), "write")).toEqual({
      type: "ok",
      value: 1,
    });
    const refused = () => Promise.reject(new ZkError("NODEEXISTS", null, "create", "/a"));
    const lost = () => Promise.reject(new ZkError("CONNECTIONLOSS", null, "create", "/a"));
    expect(await outcomeOf(refused, "write")).toEqual({ type: "fail", error: "NODEEXISTS" });
    expect(await outcomeOf(lost, "write")).toEqual({ type: "info", error: "CONNECTIONLOSS" });
    expect(await outcomeOf(lost, "read")).toEqual({ type: "fail", error: "CONNECTIONLOSS" });
  });
});
