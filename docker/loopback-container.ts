import { GenericContainer } from "testcontainers";

/**
 * A GenericContainer whose published ports bind 127.0.0.1 only (testcontainers binds every interface), on
 * host ports we choose, and which joins a network we created (so the network can carry our labels).
 */
export class LoopbackContainer extends GenericContainer {
  /** Publish container port → host port on 127.0.0.1. */
  withLoopbackPorts(...ports: { container: number; host: number }[]): this {
    this.withExposedPorts(...ports);
    for (const p of ports)
      this.hostConfig.PortBindings![`${p.container}/tcp`] = [
        { HostIp: "127.0.0.1", HostPort: String(p.host) },
      ];
    return this;
  }

  /** Join a network by name under the given aliases. */
  withNetworkByName(name: string, ...aliases: string[]): this {
    return this.withNetworkMode(name).withNetworkAliases(...aliases);
  }
}
