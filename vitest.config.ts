import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "results/**"],
    env: { TESTCONTAINERS_RYUK_DISABLED: "true" },
    testTimeout: 20_000,
    tags: [
      {
        name: "docker",
        description: "starts real containers (a ZooKeeper ensemble, the proxy); run one file at a time",
        timeout: 300_000,
      },
    ],
  },
});
