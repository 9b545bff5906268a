/** Every image name and version the harness uses, pinned in this one place. */

/** The official proxy image, tried first (it can be pulled where a registry is reachable). */
export const OFFICIAL_TOXIPROXY_IMAGE = "ghcr.io/shopify/toxiproxy:2.12.0";

/**
 * The local fallback: a Debian rootfs made by debootstrap and `docker import`ed, one per ZooKeeper line (the
 * suite and packages in zk-flavours.ts), tagged by the package's version: zk-chaos/zookeeper:3.4.13-bullseye-r2.
 * Bump RECIPE when a package list or the layout changes so old images are not reused.
 */
export const DEBIAN_MIRROR = process.env.ZK_CHAOS_DEBIAN_MIRROR ?? "http://deb.debian.org/debian";
export const RECIPE = "r2";
export const LOCAL_ZOOKEEPER_REPO = "zk-chaos/zookeeper";
/** The local proxy image's tag gets a hash of the proxy's sources appended (see images.ts). */
export const LOCAL_TOXIPROXY_REPO = "zk-chaos/toxiproxy";

/** Label on every container and network the harness creates; its value is the run id. */
export const RUN_LABEL = "zk-chaos.run";
/** Label naming the pid of the harness that owns the resource, so leftovers of dead harnesses can be found. */
export const PID_LABEL = "zk-chaos.pid";
/** Label naming the machine of that harness: a shared (remote) engine serves several, and a pid is per machine. */
export const HOST_LABEL = "zk-chaos.host";
/** Labels on a local ZooKeeper image: its line (3.4, 3.8, 3.9), its Debian package version, its recipe. */
export const IMAGE_LINE_LABEL = "zk-chaos.zookeeper-line";
export const IMAGE_VERSION_LABEL = "zk-chaos.zookeeper-version";
export const IMAGE_RECIPE_LABEL = "zk-chaos.recipe";
