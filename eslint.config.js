import js from "@eslint/js";
import tseslint from "typescript-eslint";

const dockerCode = ["dockerode", "testcontainers", "toxiproxy-node-client", "**/docker/**", "**/docker/*"];
const zkClients = ["zookeeper", "node-zookeeper-client"];

/** Import bans of report/: `network` false for serve.ts, which may use node:http. */
const reportPatterns = (network) => [
  {
    group: [...dockerCode, ...zkClients, "playwright-core"],
    message: "report/ is pure: no Docker, ZooKeeper or browser code",
  },
  {
    group: [
      "**/workloads/**",
      "**/toxiproxy/**",
      "**/harness/runner/**",
      "**/harness/worker/**",
      "**/harness/cluster/**",
    ],
    message: "report/ reads stored files; it imports only checkers/ and harness/history, core",
  },
  {
    group: [
      "node:child_process",
      "child_process",
      "node:worker_threads",
      "node:dgram",
      "node:https",
      "https",
      ...(network ? ["node:net", "node:http", "net", "http"] : []),
    ],
    message: network
      ? "report/ never touches the network or processes (only serve.ts listens)"
      : "serve.ts listens with node:http only",
  },
];

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
    // The report and index are pure file → HTML code: no Docker, ZooKeeper, network or processes (serve.ts may
    // listen, below). Tests and report/testing drive a browser and real runs, so they are left out.
    files: ["report/**/*.ts"],
    ignores: ["report/**/*.test.ts", "report/testing/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: reportPatterns(true) }],
    },
  },
  {
    files: ["report/serve.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: reportPatterns(false) }],
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
