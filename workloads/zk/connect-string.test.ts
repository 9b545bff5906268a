import { describe, expect, it } from "vitest";
import { serversOf } from "./connect-string.ts";

describe("serversOf", () => {
  it("parses connect strings in order, chroot and IPv6 brackets included", () => {
    expect(serversOf("127.0.0.1:2181,[::1]:2182/app")).toEqual([
      { host: "127.0.0.1", port: 2181 },
      { host: "::1", port: 2182 },
    ]);
    expect(serversOf("nohost,:12,h:0")).toEqual([]);
  });
});
