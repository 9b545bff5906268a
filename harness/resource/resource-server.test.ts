import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { monotonicClock } from "../../kernel/clock.ts";
import { AccessGate } from "./access-gate.ts";
import { httpResourceClient } from "./resource-client.ts";
import { ResourceServer } from "./resource-server.ts";

let server: ResourceServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

describe("ResourceServer", () => {
  it("fenced: rejects a token lower than the highest it has accepted, and logs every access in order", async () => {
    const logPath = join(mkdtempSync(join(tmpdir(), "res-")), "resource.jsonl");
    server = new ResourceServer({ fenced: true, logPath, clock: monotonicClock() });
    const client = httpResourceClient(await server.start());
    expect((await client.access({ op: "enter", key: "k", holder: "a", token: "10" })).accepted).toBe(true);
    expect((await client.access({ op: "exit", key: "k", holder: "a", token: "10", value: 1 })).accepted).toBe(
      true,
    );
    expect((await client.access({ op: "enter", key: "k", holder: "b", token: "12" })).value).toBe(1);
    const stale = await client.access({ op: "exit", key: "k", holder: "a", token: "10", value: 2 });
    expect(stale.accepted).toBe(false);
    expect(stale.reason).toMatch(/stale token 10 < 12/);
    expect((await client.access({ op: "write", key: "k", holder: "c" })).reason).toBe("no token");
    const logged = readFileSync(logPath, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(logged.map((e) => [e.seq, e.holder, e.accepted])).toEqual([
      [0, "a", true],
      [1, "a", true],
      [2, "b", true],
      [3, "a", false],
      [4, "c", false],
    ]);
    expect(logged[3].applied).toBe(false);
  });

  it("unfenced: accepts everything; an idempotent sink applies an id once", async () => {
    server = new ResourceServer({ fenced: false, clock: monotonicClock() });
    const client = httpResourceClient(await server.start());
    await client.access({ op: "write", key: "sink", holder: "a", id: "e1", idempotent: true, value: 1 });
    await client.access({ op: "write", key: "sink", holder: "b", id: "e1", idempotent: true, value: 1 });
    await client.access({ op: "write", key: "sink", holder: "b", id: "e1", value: 1 });
    expect(server.events.map((e) => e.applied)).toEqual([true, false, true]);
  });

  it("answers a malformed access with 400 and logs nothing", async () => {
    server = new ResourceServer({ fenced: false, clock: monotonicClock() });
    const url = await server.start();
    const res = await fetch(`${url}/access`, { method: "POST", body: "{not json" });
    expect(res.status).toBe(400);
    expect(server.events).toHaveLength(0);
  });

  it("applies an access held at its door only when it is let in, and lets it in when it stops", async () => {
    const gate = new AccessGate();
    server = new ResourceServer({ fenced: false, clock: monotonicClock(), gate });
    const client = httpResourceClient(await server.start());
    const hold = gate.holdNext((r) => r.holder === "old", 60_000);
    const late = client.access({ op: "write", key: "k", holder: "old", value: 1 });
    const held = await hold;
    expect((await client.access({ op: "write", key: "k", holder: "new", value: 2 })).accepted).toBe(true);
    expect(server.events.map((e) => e.holder)).toEqual(["new"]);
    held!.release();
    expect((await late).accepted).toBe(true);
    expect(server.events.map((e) => e.holder)).toEqual(["new", "old"]);

    const again = gate.holdNext(() => true, 60_000);
    const stopped = client.access({ op: "write", key: "k", holder: "last", value: 3 });
    await again;
    await server.stop();
    server = null;
    expect((await stopped).accepted).toBe(true);
  });
});
