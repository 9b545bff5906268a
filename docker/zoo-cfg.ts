/**
 * zoo.cfg generation: pure, unit-tested, no Docker. Each server gets its own file because with per-link
 * proxies every server names its peers by a different address (DESIGN.md, environment facts).
 */

import { SYNC_LIMIT_TICKS } from "../kernel/cluster.ts";
import { ZK_CLIENT_PORT, ZK_ELECTION_PORT, ZK_QUORUM_PORT, type NodeId } from "../kernel/links.ts";
import { flavourOf, type ZkFlavour } from "./zk-flavours.ts";

export type { NodeId };

/** Where server `from` reaches peer `to` for the quorum and the election ports. */
export interface PeerAddress {
  host: string;
  quorumPort: number;
  electionPort: number;
}

export interface ZooCfgOptions {
  /** Number of voting servers, 3 to 5; ids are 1..n and hostnames zk1..zkN. */
  nodes: number;
  /** Observers after the voters (ids n+1..n+m): they get every commit but neither vote nor count to a quorum. */
  observers?: number;
  /** The ZooKeeper line the file is for (default 3.8): 3.4 knows none of the 3.5+ keys. */
  flavour?: ZkFlavour;
  /** Milliseconds; the session timeout bounds are 2× and 20× this. */
  tickTime: number;
  initLimit: number;
  syncLimit: number;
  /** How server `from` (1-based) reaches peer `to`; default: directly by hostname. */
  peer?: (from: number, to: number) => PeerAddress;
}

export const DEFAULT_ZOO_CFG: Omit<ZooCfgOptions, "nodes"> = {
  tickTime: 500,
  initLimit: 10,
  syncLimit: SYNC_LIMIT_TICKS,
};

export const nodeName = (id: number): NodeId => `zk${id}`;
export const nodeIds = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

export const directPeer = (_from: number, to: number): PeerAddress => ({
  host: nodeName(to),
  quorumPort: ZK_QUORUM_PORT,
  electionPort: ZK_ELECTION_PORT,
});

/** The zoo.cfg text for server `self` (1-based; ids past `nodes` are observers). */
export function zooCfg(self: number, opts: ZooCfgOptions): string {
  const observers = opts.observers ?? 0;
  const total = opts.nodes + observers;
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1 || !Number.isInteger(observers) || observers < 0)
    throw new RangeError(`nodes must be ≥ 1 and observers ≥ 0, got ${opts.nodes} and ${observers}`);
  if (total > 9) throw new RangeError(`at most 9 servers in all, got ${opts.nodes} + ${observers}`);
  if (self < 1 || self > total) throw new RangeError(`server ${self} is not in 1..${total}`);
  const flavour = opts.flavour ?? flavourOf();
  const peer = opts.peer ?? directPeer;
  const lines = [
    `tickTime=${opts.tickTime}`,
    `initLimit=${opts.initLimit}`,
    `syncLimit=${opts.syncLimit}`,
    "dataDir=/data",
    `clientPort=${ZK_CLIENT_PORT}`,
    "clientPortAddress=0.0.0.0",
    // Our own address is 0.0.0.0 and we listen on every interface, so peers may reach us through proxies.
    "quorumListenOnAllIPs=true",
    "autopurge.purgeInterval=0",
    "maxClientCnxns=0",
  ];
  // 3.4 answers every four-letter word and has no admin server, reconfig or standalone switch.
  if (flavour.since35)
    lines.push(
      "4lw.commands.whitelist=*",
      "admin.enableServer=false",
      "standaloneEnabled=false",
      "reconfigEnabled=false",
    );
  if (self > opts.nodes) lines.push("peerType=observer");
  for (let id = 1; id <= total; id++) {
    const role = id > opts.nodes ? ":observer" : "";
    if (id === self) lines.push(`server.${id}=0.0.0.0:${ZK_QUORUM_PORT}:${ZK_ELECTION_PORT}${role}`);
    else {
      const p = peer(self, id);
      lines.push(`server.${id}=${p.host}:${p.quorumPort}:${p.electionPort}${role}`);
    }
  }
  return lines.join("\n") + "\n";
}

/**
 * The server's start script. It finds the ZooKeeper classpath of either kind of image: Debian's packages (the
 * flavour's explicit jar list) or the official image's tree (/apache-zookeeper-* from 3.5, /zookeeper-3.4.*
 * before). The JVM gets an explicit small heap: five default heaps would take the machine.
 */
export function startScript(myid: number, jvmOpts: string, flavour: ZkFlavour = flavourOf()): string {
  // The options go into a shell script: plain option words only, nothing the shell would interpret.
  for (const word of jvmOpts.split(" ").filter(Boolean))
    if (!/^-[\w.:=+,/%@-]+$/.test(word))
      throw new RangeError(`not a plain JVM option: ${JSON.stringify(word)}`);
  if (!Number.isInteger(myid)) throw new RangeError(`myid must be an integer, got ${myid}`);
  const debianJars = flavour.debianJars.map((j) => `/usr/share/java/${j}.jar`).join(":");
  // No caching of failed name lookups (java.security's 10 s wins over -Dsun.net.inetaddr.negative.ttl): a
  // server that looks up the proxy's name before the proxy container has joined the network would fail to
  // reach its leader for 10 s and miss the first election. No log4j MBeans (3.4 registers them by default).
  return `#!/bin/sh
set -e
mkdir -p /data
echo ${myid} > /data/myid
echo networkaddress.cache.negative.ttl=0 > /tmp/zk-chaos.security
if [ -f /usr/share/java/zookeeper.jar ]; then
  CP="${debianJars}"
  LOGOPTS="-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS"
elif ls -d /apache-zookeeper-* >/dev/null 2>&1; then
  CP="/conf:$(ls -d /apache-zookeeper-*/lib/*.jar | tr '\\n' ':')"
  LOGOPTS="-Dlogback.configurationFile=/conf/logback.xml"
else
  CP="/conf:$(ls -d /zookeeper-3.4*/zookeeper-*.jar /zookeeper-3.4*/lib/*.jar | tr '\\n' ':')"
  LOGOPTS="-Dlog4j.configuration=file:/conf/log4j.properties"
fi
exec java -Djava.security.properties=/tmp/zk-chaos.security ${jvmOpts} -Dzookeeper.jmx.log4j.disable=true $LOGOPTS -cp "$CP" org.apache.zookeeper.server.quorum.QuorumPeerMain /conf/zoo.cfg
`;
}

/** For the official 3.4 image's log4j: INFO to the console, so `docker logs` carries the server log. */
export const LOG4J_PROPERTIES = `log4j.rootLogger=INFO, CONSOLE
log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender
log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout
log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n
`;

/** For the official image's logback: INFO to the console, so `docker logs` carries the server log. */
export const LOGBACK_XML = `<configuration>
  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="CONSOLE"/></root>
</configuration>
`;

export const DEFAULT_JVM_OPTS = "-Xmx256m -Xms64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";
