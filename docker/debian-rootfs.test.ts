import { describe, expect, it } from "vitest";
import { packageVersion, upstreamVersion } from "./debian-rootfs.ts";
import { parseVersion } from "./four-letter-words.ts";

describe("packageVersion", () => {
  it("the installed libzookeeper-java's version from a dpkg status file", () => {
    const status = [
      "Package: zookeeper\nStatus: install ok installed\nVersion: 9.9.9-1",
      "Package: libzookeeper-java\nStatus: deinstall ok config-files\nVersion: 3.4.0-1",
      "Package: libzookeeper-java\nStatus: install ok installed\nPriority: optional\nVersion: 3.4.13-6+deb11u1\nDepends: x",
    ].join("\n\n");
    expect(packageVersion(status)).toBe("3.4.13-6+deb11u1");
    expect(packageVersion("Package: zookeeper\nStatus: install ok installed\nVersion: 3.8.0-11")).toBeNull();
  });
});

describe("upstreamVersion", () => {
  it("drops the epoch and the Debian revision; keeps only what an image tag allows", () => {
    expect(upstreamVersion("3.4.13-6+deb11u1")).toBe("3.4.13");
    expect(upstreamVersion("3.9.3-1+deb13u1")).toBe("3.9.3");
    expect(upstreamVersion("1:3.8.0-11+deb12u2")).toBe("3.8.0");
    expect(upstreamVersion("3.9.3+dfsg")).toBe("3.9.3_dfsg");
  });
});

describe("parseVersion", () => {
  it("the version of a srvr reply, 3.4 and 3.5+ alike", () => {
    expect(parseVersion("Zookeeper version: 3.4.13-6--1, built on Sat, 28 Oct 2023\nMode: follower\n")).toBe(
      "3.4.13-6--1",
    );
    expect(parseVersion("Zookeeper version: 3.9.3-${mvngit.commit.id}, built on 2026-03-08\n")).toBe(
      "3.9.3-${mvngit.commit.id}",
    );
    expect(parseVersion(null)).toBeNull();
    expect(parseVersion("srvr is not executed because it is not in the whitelist.")).toBeNull();
  });
});
