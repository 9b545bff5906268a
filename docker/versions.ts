/** Every image name and version the harness uses, pinned in this one place. */

/** Official images, tried first (they can be pulled where a registry is reachable). */
export const OFFICIAL_ZOOKEEPER_IMAGE = "zookeeper:3.9.3";
export const OFFICIAL_TOXIPROXY_IMAGE = "ghcr.io/shopify/toxiproxy:2.12.0";

/**
 * The local fallback: a Debian rootfs made by debootstrap and `docker import`ed. Bump RECIPE when the package
 * list or layout changes so old images are not reused.
 */
export const DEBIAN_SUITE = "bookworm";
export const DEBIAN_MIRROR = process.env.ZK_CHAOS_DEBIAN_MIRROR ?? "http://deb.debian.org/debian";
export const DEBIAN_ZOOKEEPER_VERSION = "3.8";
export const RECIPE = "r1";
export const LOCAL_ZOOKEEPER_IMAGE = `zk-chaos/zookeeper:${DEBIAN_ZOOKEEPER_VERSION}-${DEBIAN_SUITE}-${RECIPE}`;
/** The local proxy image's tag gets a hash of the proxy's sources appended (see images.ts). */
export const LOCAL_TOXIPROXY_REPO = "zk-chaos/toxiproxy";

export const DEBIAN_PACKAGES = [
  "openjdk-17-jre-headless",
  "zookeeper",
  "iptables",
  "iproute2",
  "procps",
  "nodejs",
] as const;

/** Label on every container and network the harness creates; its value is the run id. */
export const RUN_LABEL = "zk-chaos.run";
/** Label naming the pid of the harness that owns the resource, so leftovers of dead harnesses can be found. */
export const PID_LABEL = "zk-chaos.pid";
/** Label naming the machine of that harness: a shared (remote) engine serves several, and a pid is per machine. */
export const HOST_LABEL = "zk-chaos.host";
