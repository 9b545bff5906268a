import { describe, expect, it } from "vitest";
import { parseArgs } from "./args.ts";

describe("toxiproxy/main.ts flags", () => {
  it("takes GNU and Go style flags", () => {
    expect(parseArgs([])).toEqual({ host: "127.0.0.1", port: 8474 });
    expect(parseArgs(["--host", "0.0.0.0", "--port=0", "--seed", "-5"])).toEqual({
      host: "0.0.0.0",
      port: 0,
      seed: -5,
    });
    expect(parseArgs(["-host=0.0.0.0", "-config", "p.json"])).toEqual({
      host: "0.0.0.0",
      port: 8474,
      config: "p.json",
    });
    expect(parseArgs(["--version"]).version).toBe(true);
  });

  it("takes the metrics switches as Go's flag package does, and GNU style", () => {
    expect(parseArgs(["-proxy-metrics", "-runtime-metrics"])).toEqual({
      host: "127.0.0.1",
      port: 8474,
      proxyMetrics: true,
      runtimeMetrics: true,
    });
    expect(parseArgs(["--proxy-metrics", "--port", "1"])).toMatchObject({ proxyMetrics: true, port: 1 });
    expect(parseArgs(["-proxy-metrics=true", "-runtime-metrics=false"])).toMatchObject({
      proxyMetrics: true,
      runtimeMetrics: false,
    });
    expect(parseArgs(["--runtime-metrics=1", "--proxy-metrics=F"])).toMatchObject({
      proxyMetrics: false,
      runtimeMetrics: true,
    });
    // A switch never takes the next argument as its value (Go: `-proxy-metrics false` leaves "false" over).
    expect(() => parseArgs(["-proxy-metrics", "false"])).toThrow("unexpected argument 'false'");
    expect(() => parseArgs(["-proxy-metrics=yes"])).toThrow(
      "--proxy-metrics must be true or false, got 'yes'",
    );
  });

  it("rejects bad flags with one clear message", () => {
    expect(() => parseArgs(["--port", "99999"])).toThrow("--port must be a whole number from 0 to 65535");
    expect(() => parseArgs(["--seed", "1.5"])).toThrow("--seed must be a whole number");
    expect(() => parseArgs(["--color", "red"])).toThrow("unknown option '--color'");
    expect(() => parseArgs(["--port"])).toThrow("--port needs a value");
    expect(() => parseArgs(["stray"])).toThrow("unexpected argument 'stray'");
  });
});
