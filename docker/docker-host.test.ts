import { describe, expect, it } from "vitest";
import { dockerHostAddress } from "./docker-host.ts";

const local = { bindIp: "127.0.0.1", clientHost: "127.0.0.1", remote: false };

describe("dockerHostAddress", () => {
  it.each([
    [undefined],
    [""],
    ["unix:///var/run/docker.sock"],
    ["npipe:////./pipe/docker_engine"],
    ["tcp://127.0.0.1:2375"],
    ["tcp://localhost:2375"],
    ["tcp://[::1]:2375"],
    ["not a url"],
  ])("a local engine (%s): bind and connect on 127.0.0.1", (DOCKER_HOST) => {
    expect(dockerHostAddress(DOCKER_HOST === undefined ? {} : { DOCKER_HOST })).toEqual(local);
  });

  it("a remote tcp engine: bind on all its interfaces, connect to its host", () => {
    expect(dockerHostAddress({ DOCKER_HOST: "tcp://docker.ci.example:2376" })).toEqual({
      bindIp: "0.0.0.0",
      clientHost: "docker.ci.example",
      remote: true,
    });
    expect(dockerHostAddress({ DOCKER_HOST: "tcp://10.1.2.3:2375" }).clientHost).toBe("10.1.2.3");
  });

  it("an ssh engine: the host part, without the user", () => {
    expect(dockerHostAddress({ DOCKER_HOST: "ssh://ci@runner-7.example" })).toMatchObject({
      clientHost: "runner-7.example",
      remote: true,
    });
  });

  it("ZK_CHAOS_BIND_IP narrows the remote bind", () => {
    expect(
      dockerHostAddress({ DOCKER_HOST: "tcp://10.1.2.3:2376", ZK_CHAOS_BIND_IP: "10.1.2.3" }).bindIp,
    ).toBe("10.1.2.3");
    // but never widens a local one
    expect(dockerHostAddress({ ZK_CHAOS_BIND_IP: "0.0.0.0" }).bindIp).toBe("127.0.0.1");
  });
});
