/** Connect strings ("host:port,host:port[/chroot]"), as both drivers take them. */
import type { ServerAddress } from "./client.ts";

/** The servers of a connect string, in its order. */
export function serversOf(connectString: string): ServerAddress[] {
  const hosts = connectString.split("/")[0] ?? "";
  return hosts
    .split(",")
    .map((hp) => {
      const i = hp.lastIndexOf(":");
      return { host: hp.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(hp.slice(i + 1)) };
    })
    .filter((s) => s.host !== "" && Number.isInteger(s.port) && s.port > 0);
}
