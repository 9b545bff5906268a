import js from "@eslint/js";
import tseslint from "typescript-eslint";

const dockerCode = ["dockerode", "testcontainers", "toxiproxy-node-client", "**/docker/**", "**/docker/*"];
const zkClients = ["zookeeper", "node-zookeeper-client"];

export default tseslint.config(
  { ignores: ["node_modules/**", "results/**", "**/*.bundle.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // Checkers are pure functions of a history: no Docker, no network, no ZooKeeper client, no harness runtime.
    files: ["checkers/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [...dockerCode, ...zkClients],
              message: "checkers are pure: no Docker or ZooKeeper code",
            },
            {
              group: ["**/workloads/**", "**/toxiproxy/**"],
              message: "checkers import only harness/history",
            },
            {
              group: ["node:net", "node:http", "node:child_process", "net", "http", "child_process"],
              message: "checkers never touch the network or processes",
            },
          ],
        },
      ],
    },
  },
  {
    // Workloads talk to ZooKeeper through our client interface and never to Docker.
    files: ["workloads/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: dockerCode, message: "workloads never import Docker code" }] },
      ],
    },
  },
  {
    // The nemesis acts through the cluster interfaces; docker/ implements them.
    files: ["harness/nemesis/**/*.ts", "harness/history/**/*.ts", "harness/generator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: dockerCode, message: "only docker/ talks to Docker" }] },
      ],
    },
  },
);
