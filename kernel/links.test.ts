import { describe, expect, it } from "vitest";
import {
  allLinks,
  linkPort,
  linksAcross,
  linksBetween,
  linksOf,
  proxyDefinitions,
  proxyName,
} from "./links.ts";

describe("links", () => {
  it("gives a 5-node ensemble 5 client proxies and 40 peer proxies, all on distinct ports", () => {
    const defs = proxyDefinitions(5);
    expect(defs.filter((d) => d.name.startsWith("client-"))).toHaveLength(5);
    expect(defs.filter((d) => !d.name.startsWith("client-"))).toHaveLength(40);
    expect(new Set(defs.map((d) => d.listen)).size).toBe(45);
    expect(new Set(defs.map((d) => d.name)).size).toBe(45);
  });

  it("gives each client slot its own links to every server, on ports clear of the others", () => {
    const defs = proxyDefinitions(5, 64);
    expect(defs).toHaveLength(5 + 64 * 5 + 40);
    expect(new Set(defs.map((d) => d.listen)).size).toBe(defs.length);
    expect(defs.find((d) => d.name === "client3-zk2")).toMatchObject({
      upstream: "zk2:2181",
      listen: "0.0.0.0:22032",
    });
    const clientPorts = defs
      .filter((d) => d.name.startsWith("client"))
      .map((d) => Number(d.listen.split(":")[1]));
    expect(Math.max(...clientPorts)).toBeLessThan(30000); // below the peer links' 3FTP ports
    expect(() => allLinks(3, 65)).toThrow(RangeError);
  });

  it("points each link's proxy at the right upstream", () => {
    const defs = proxyDefinitions(3);
    expect(defs.find((d) => d.name === "zk1-zk2-quorum")?.upstream).toBe("zk2:2888");
    expect(defs.find((d) => d.name === "zk3-zk1-election")?.upstream).toBe("zk1:3888");
    expect(defs.find((d) => d.name === "client-zk2")?.upstream).toBe("zk2:2181");
    expect(linkPort({ kind: "client", to: "zk2" })).toBe(21812);
  });

  it("cuts only links that cross group lines", () => {
    const cut = linksAcross([["zk1"], ["zk2", "zk3"]])
      .map(proxyName)
      .sort();
    expect(cut).toEqual([...linksBetween("zk1", "zk2"), ...linksBetween("zk1", "zk3")].map(proxyName).sort());
    expect(cut).not.toContain("zk2-zk3-quorum");
    expect(cut).toHaveLength(8);
  });

  it("finds every link touching a node", () => {
    const of = linksOf("zk2", 3).map(proxyName);
    expect(of).toContain("client-zk2");
    expect(of).toContain("zk2-zk1-quorum");
    expect(of).toContain("zk3-zk2-election");
    expect(of).not.toContain("zk1-zk3-quorum");
    expect(of).toHaveLength(1 + 8);
    expect(allLinks(3)).toHaveLength(3 + 12);
  });
});
