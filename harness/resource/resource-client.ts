import type { ResourceClient, ResourceReply } from "../../kernel/resource.ts";

/** The guarded resource's client over HTTP, as worker processes reach the harness's ResourceServer. */
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
