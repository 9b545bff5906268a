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

  /**
   * Join only this network, under the given aliases, from creation on. Testcontainers' own aliases create the
   * container on Docker's default bridge and connect it to the network afterwards: every run's containers
   * would share that bridge, and Docker would program each published port on one network, then move it to
   * the other as the container is removed (three times the iptables work of a single network).
   */
  withNetworkByName(name: string, ...aliases: string[]): this {
    this.withNetworkMode(name);
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [name]: { Aliases: aliases } } };
    return this;
  }
}
