import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "results/**"],
    env: { TESTCONTAINERS_RYUK_DISABLED: "true" },
    testTimeout: 20_000,
    // Unit tests mostly wait (timers, child processes, sockets), so files run three at a time even on two
    // cores (Vitest's default there is one). The docker phase runs one file at a time (--no-file-parallelism).
    maxWorkers: Math.max(3, availableParallelism() - 1),
    tags: [
      {
        name: "docker",
        description: "starts real containers (a ZooKeeper ensemble, the proxy); run one file at a time",
        timeout: 300_000,
      },
    ],
  },
});
