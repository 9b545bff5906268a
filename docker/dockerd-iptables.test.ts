import { describe, expect, it } from "vitest";
import { useLegacyIptables } from "./dockerd-iptables.ts";

describe("the iptables a dockerd started by zk-chaos uses", () => {
  it("legacy where the kernel has legacy tables and nf_tables holds nothing of Docker's", () => {
    expect(useLegacyIptables({ legacyWorks: true, nftHasDockerChains: false })).toBe(true);
  });

  it("the default where an earlier dockerd left its chains in nf_tables (its DROP policy would stay)", () => {
    expect(useLegacyIptables({ legacyWorks: true, nftHasDockerChains: true })).toBe(false);
  });

  it("the default where legacy iptables does not work", () => {
    expect(useLegacyIptables({ legacyWorks: false, nftHasDockerChains: false })).toBe(false);
  });
});
