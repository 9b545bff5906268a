import { describe, expect, it } from "vitest";
import { bindHost, formatAddress, listenErrorMessage, splitHostPort } from "./address.ts";

describe("addresses", () => {
  it("splits host:port the way Go does", () => {
    expect(splitHostPort("127.0.0.1:8666")).toEqual({ host: "127.0.0.1", port: 8666 });
    expect(splitHostPort("[::1]:0")).toEqual({ host: "::1", port: 0 });
    expect(splitHostPort(":2181")).toEqual({ host: "", port: 2181 });
    expect(splitHostPort("zk1:2888")).toEqual({ host: "zk1", port: 2888 });
    expect(() => splitHostPort("127.0.0.1")).toThrow("missing port in address");
    expect(() => splitHostPort("::1:80")).toThrow("too many colons");
    expect(() => splitHostPort("host:http")).toThrow("invalid port");
    expect(() => splitHostPort("host:70000")).toThrow("invalid port");
  });

  it("binds localhost on IPv4 and empty hosts on every interface", () => {
    expect(bindHost("localhost")).toBe("127.0.0.1");
    expect(bindHost("")).toBeUndefined();
    expect(bindHost("0.0.0.0")).toBe("0.0.0.0");
  });

  it("formats bound addresses and listen errors as Go prints them", () => {
    expect(formatAddress({ address: "127.0.0.1", family: "IPv4", port: 1 })).toBe("127.0.0.1:1");
    expect(formatAddress({ address: "::", family: "IPv6", port: 8666 })).toBe("[::]:8666");
    const inUse = Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" });
    expect(listenErrorMessage("127.0.0.1:3310", inUse)).toBe(
      "listen tcp 127.0.0.1:3310: bind: address already in use",
    );
  });
});
