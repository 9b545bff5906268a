import { describe, expect, it } from "vitest";
import { linkPort } from "../kernel/links.ts";
import { startScript, zooCfg } from "./zoo-cfg.ts";

const base = { nodes: 3, tickTime: 500, initLimit: 10, syncLimit: 5 };

describe("zooCfg", () => {
  it("lists itself on all interfaces and its peers by hostname", () => {
    const cfg = zooCfg(2, base);
    expect(cfg).toContain("server.2=0.0.0.0:2888:3888\n");
    expect(cfg).toContain("server.1=zk1:2888:3888\n");
    expect(cfg).toContain("server.3=zk3:2888:3888\n");
    expect(cfg).toContain("quorumListenOnAllIPs=true\n");
    expect(cfg).toContain("tickTime=500\n");
    expect(cfg).toContain("4lw.commands.whitelist=*\n");
  });

  it("names each peer through the proxy port of its own directed link", () => {
    const peer = (from: number, to: number) => ({
      host: "toxiproxy",
      quorumPort: linkPort({ kind: "peer", from: `zk${from}`, to: `zk${to}`, port: "quorum" }),
      electionPort: linkPort({ kind: "peer", from: `zk${from}`, to: `zk${to}`, port: "election" }),
    });
    const one = zooCfg(1, { ...base, nodes: 5, peer });
    const four = zooCfg(4, { ...base, nodes: 5, peer });
    expect(one).toContain("server.4=toxiproxy:30140:30141\n");
    expect(four).toContain("server.1=toxiproxy:30410:30411\n");
    expect(one.match(/^server\./gm)).toHaveLength(5);
  });

  it("rejects a server outside the ensemble", () => {
    expect(() => zooCfg(4, base)).toThrow(RangeError);
    expect(() => zooCfg(0, base)).toThrow(RangeError);
  });
});

describe("startScript", () => {
  it("writes myid, picks an explicit Debian classpath without clashing slf4j bindings, sets the heap", () => {
    const s = startScript(3, "-Xmx256m");
    expect(s).toContain("echo 3 > /data/myid");
    expect(s).toContain("/usr/share/java/slf4j-simple.jar");
    expect(s).not.toContain("slf4j-log4j12");
    expect(s).not.toContain("/usr/share/java/*");
    expect(s).toMatch(/exec java -Djava.security.properties=\S+ -Xmx256m .*QuorumPeerMain \/conf\/zoo\.cfg/);
    expect(s).toContain("networkaddress.cache.negative.ttl=0");
  });
});
