/**
 * What each ZooKeeper line needs, in one place: the Debian suite that ships it and the packages of its image,
 * the registry image preferred where one can be pulled, the jars of its classpath, and which config keys it
 * knows. Everything that differs between 3.4 and 3.5+ is read from here.
 */
import { DEFAULT_ZK_VERSION, type ZkVersion } from "../kernel/zk-version.ts";

export interface ZkFlavour {
  readonly version: ZkVersion;
  /** The Debian suite whose `zookeeper` is this line (bullseye 3.4.13, bookworm 3.8.0, trixie 3.9.3). */
  readonly suite: string;
  /** debootstrap --include: a headless JRE the line runs on, and its ZooKeeper jars. */
  readonly packages: readonly string[];
  /** The registry image, tried first. */
  readonly official: string;
  /** Jars under /usr/share/java for the Debian image: an explicit list, since the whole set has clashing slf4j bindings. */
  readonly debianJars: readonly string[];
  /**
   * 3.5 and later: four-letter words need a whitelist, and the admin server, reconfig and standalone switches
   * exist. 3.4 answers every four-letter word, has none of these keys, and no dynamic config file.
   */
  readonly since35: boolean;
}

/** Jars of the 3.5+ server on Debian (netty for the client port, metrics, snappy for snapshots). */
const JARS_35 = [
  "zookeeper",
  "zookeeper-jute",
  "slf4j-api",
  "slf4j-simple",
  "netty-handler",
  "netty-common",
  "netty-buffer",
  "netty-transport",
  "netty-codec",
  "netty-resolver",
  "netty-transport-native-epoll",
  "netty-transport-native-unix-common",
  "metrics-core",
  "snappy-java",
  "commons-cli",
];

export const ZK_FLAVOURS: Readonly<Record<ZkVersion, ZkFlavour>> = {
  "3.4": {
    version: "3.4",
    suite: "bullseye",
    // Debian's 3.4.13 is built for Java 11; log4j 1.2 only for the classes its JMX code names.
    packages: ["openjdk-11-jre-headless", "libzookeeper-java", "procps"],
    official: "zookeeper:3.4.14",
    debianJars: ["zookeeper", "slf4j-api", "slf4j-simple", "log4j-1.2"],
    since35: false,
  },
  "3.8": {
    version: "3.8",
    suite: "bookworm",
    // nodejs: the local proxy image is built on this one.
    packages: ["openjdk-17-jre-headless", "zookeeper", "iptables", "iproute2", "procps", "nodejs"],
    official: "zookeeper:3.8.4",
    debianJars: JARS_35,
    since35: true,
  },
  "3.9": {
    version: "3.9",
    suite: "trixie",
    // libzookeeper-java, not zookeeper: the latter wants default-jre, a desktop JRE whose set-up fails here.
    packages: ["openjdk-21-jre-headless", "libzookeeper-java", "procps"],
    official: "zookeeper:3.9.3",
    debianJars: [...JARS_35, "commons-io"],
    since35: true,
  },
};

export const flavourOf = (version: ZkVersion = DEFAULT_ZK_VERSION): ZkFlavour => ZK_FLAVOURS[version];
