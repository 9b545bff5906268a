import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Random } from "../random.ts";
import type { Harness } from "../testing/harness.ts";
import { connect, Probe, startHarness } from "../testing/harness.ts";
import { sliceOffsets } from "./slicer.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe("slicer toxic", () => {
  it("cuts any chunk into ordered pieces of about average ± variation, always terminating", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer(),
        (length, average, variation, seed) => {
          const cuts = sliceOffsets(length, average, variation, new Random(seed));
          if (cuts[0] !== 0 || cuts[cuts.length - 1] !== length) return false;
          for (let i = 1; i < cuts.length; i++) {
            const size = (cuts[i] as number) - (cuts[i - 1] as number);
            if (size <= 0 || (size > average + variation && size > 1)) return false;
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });

  it("slices data into small delayed pieces, losing nothing", async () => {
    const port = await h.proxy("p");
    await h.api("POST", "/proxies/p/toxics", {
      type: "slicer",
      attributes: { average_size: 10, size_variation: 0, delay: 3000 },
    });
    const probe = new Probe(await connect(port));
    const message = "0123456789".repeat(10);
    probe.socket.write(message);
    const elapsed = await probe.waitBytes(100);
    expect(probe.text()).toBe(message);
    expect(probe.chunks.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...probe.chunks.map((c) => c.length))).toBeLessThanOrEqual(40);
    expect(elapsed).toBeGreaterThanOrEqual(20);
    probe.socket.destroy();
  });
});
