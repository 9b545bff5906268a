import { describe, expect, it } from "vitest";
import { linkPort } from "../kernel/links.ts";
import { startScript, zooCfg } from "./zoo-cfg.ts";
import { ZK_FLAVOURS } from "./zk-flavours.ts";

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
    expect(() => zooCfg(9, { ...base, nodes: 5, observers: 5 })).toThrow(RangeError);
  });

  it("3.4: none of the 3.5+ keys (it answers every four-letter word; no admin server, reconfig, standalone)", () => {
    const old = zooCfg(1, { ...base, flavour: ZK_FLAVOURS["3.4"] });
    for (const key of ["4lw.commands.whitelist", "admin.", "reconfigEnabled", "standaloneEnabled"])
      expect(old).not.toContain(key);
    expect(old).toContain("quorumListenOnAllIPs=true\n");
    expect(old).toContain("clientPort=2181\n");
    expect(old).not.toMatch(/^server\.\d=.*;/m); // no ;clientPort in server lines
    for (const v of ["3.8", "3.9"] as const) {
      const cfg = zooCfg(1, { ...base, flavour: ZK_FLAVOURS[v] });
      expect(cfg).toContain("4lw.commands.whitelist=*\n");
      expect(cfg).toContain("reconfigEnabled=false\n");
    }
  });

  it("observers: every server lists them as observers, and each observer says it is one", () => {
    const voter = zooCfg(2, { ...base, observers: 2 });
    const observer = zooCfg(5, { ...base, observers: 2 });
    expect(voter).not.toContain("peerType");
    expect(voter).toContain("server.3=zk3:2888:3888\n");
    expect(voter).toContain("server.4=zk4:2888:3888:observer\n");
    expect(voter).toContain("server.5=zk5:2888:3888:observer\n");
    expect(observer).toContain("peerType=observer\n");
    expect(observer).toContain("server.5=0.0.0.0:2888:3888:observer\n");
    expect(observer).toContain("server.1=zk1:2888:3888\n");
    expect(observer.match(/^server\./gm)).toHaveLength(5);
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

  it("each line's Debian classpath: 3.4 has no jute jar and needs log4j's classes; 3.5+ netty", () => {
    const old = startScript(1, "-Xmx256m", ZK_FLAVOURS["3.4"]);
    expect(old).toContain('CP="/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-api.jar:');
    expect(old).toContain("/usr/share/java/log4j-1.2.jar");
    expect(old).not.toContain("zookeeper-jute");
    const recent = startScript(1, "-Xmx256m", ZK_FLAVOURS["3.9"]);
    expect(recent).toContain("/usr/share/java/zookeeper-jute.jar");
    expect(recent).toContain("/usr/share/java/netty-handler.jar");
    // the official images of either era
    expect(old).toContain("/apache-zookeeper-*/lib/*.jar");
    expect(old).toContain("/zookeeper-3.4*/lib/*.jar");
  });
});
