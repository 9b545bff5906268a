import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { logger, logToFile, withLogScope } from "./log.ts";

const lines = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { msg: string }).msg);

it("loggers made before logToFile follow it; scopes side by side keep their own files", async () => {
  const dir = mkdtempSync(join(tmpdir(), "zk-chaos-log-"));
  const early = logger("early");
  logToFile(join(dir, "global.log"));
  early.debug("global 1");
  const scoped = (name: string) =>
    withLogScope(async () => {
      logToFile(join(dir, `${name}.log`));
      early.info(`${name} 1`);
      await new Promise((r) => setTimeout(r, 10));
      logger("late").warn(`${name} 2`);
    });
  await Promise.all([scoped("a"), scoped("b")]);
  early.info("global 2");
  expect(lines(join(dir, "a.log"))).toEqual(["a 1", "a 2"]);
  expect(lines(join(dir, "b.log"))).toEqual(["b 1", "b 2"]);
  expect(lines(join(dir, "global.log"))).toEqual(["global 1", "global 2"]);
});
