import { describe, expect, it } from "vitest";
import { BadInputError } from "../../kernel/errors.ts";
import { listenFailed, untilStopped } from "./foreground.ts";

const errno = (code: string) => Object.assign(new Error(code), { code });

describe("foreground commands", () => {
  it("a port in use or a bad address is one line of bad input; anything else is rethrown as is", () => {
    expect(() => listenFailed(errno("EADDRINUSE"), "127.0.0.1", 8474)).toThrow(
      new BadInputError("port 8474 on 127.0.0.1 is already in use: pick another with --port"),
    );
    expect(() => listenFailed(errno("EADDRNOTAVAIL"), "10.9.9.9", 80)).toThrow(
      new BadInputError("cannot listen on 10.9.9.9:80 (EADDRNOTAVAIL)"),
    );
    const other = errno("EMFILE");
    expect(() => listenFailed(other, "127.0.0.1", 1)).toThrow(other);
    expect(() => listenFailed(other, "127.0.0.1", 1)).not.toThrow(BadInputError);
  });

  it("runs until SIGTERM, then leaves no signal listener behind", async () => {
    const before = [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
    let stopped = false;
    const waiting = untilStopped().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(stopped).toBe(false);
    process.emit("SIGTERM");
    await waiting;
    expect(stopped).toBe(true);
    expect([process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")]).toEqual(before);
  });
});
