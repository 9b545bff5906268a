import type { ResourceReply, ResourceRequest } from "./resource-log.ts";

/** What a workload's client code uses to act on the guarded resource. */
export interface ResourceClient {
  access(req: ResourceRequest): Promise<ResourceReply>;
}

export function httpResourceClient(baseUrl: string): ResourceClient {
  return {
    async access(req) {
      const res = await fetch(`${baseUrl}/access`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(req),
      });
      const reply = (await res.json()) as ResourceReply;
      if (res.status !== 200) throw new Error(`resource: ${reply.reason ?? res.status}`);
      return reply;
    },
  };
}
