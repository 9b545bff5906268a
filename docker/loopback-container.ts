import { GenericContainer } from "testcontainers";
import { DOCKER_HOST_ADDRESS } from "./docker-host.ts";

/**
 * A GenericContainer whose published ports bind 127.0.0.1 only (testcontainers binds every interface; a
 * remote engine: see docker-host.ts), on host ports we choose, and which joins a network we created.
 */
export class LoopbackContainer extends GenericContainer {
  /** Publish container port → host port on 127.0.0.1 (a remote engine: its bind address). */
  withLoopbackPorts(...ports: { container: number; host: number }[]): this {
    this.withExposedPorts(...ports);
    for (const p of ports)
      this.hostConfig.PortBindings![`${p.container}/tcp`] = [
        { HostIp: DOCKER_HOST_ADDRESS.bindIp, HostPort: String(p.host) },
      ];
    return this;
  }

  /** Join a network by name under the given aliases. */
  withNetworkByName(name: string, ...aliases: string[]): this {
    return this.withNetworkMode(name).withNetworkAliases(...aliases);
  }
}
