import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The dependency table (DESIGN.md, "Parts and folders"): which part may import which. Arrows run down only:
 * kernel/ is the ground floor and imports nothing of ours; harness/cli and api/ compose everything. Tests
 * follow the same table as the code they sit beside. A part may always import itself.
 */
const MAY_IMPORT = {
  kernel: [],
  checkers: ["kernel"],
  workloads: ["kernel", "checkers"],
  toxiproxy: ["kernel"],
  docker: ["kernel", "toxiproxy"],
  report: ["kernel", "checkers"],
  "harness/history": ["kernel"],
  "harness/nemesis": ["kernel"],
  "harness/resource": ["kernel", "workloads"],
  "harness/worker": ["kernel", "checkers", "workloads", "harness/resource", "harness/nemesis"],
  "harness/runner": [
    "kernel",
    "checkers",
    "workloads",
    "harness/history",
    "harness/resource",
    "harness/nemesis",
    "harness/worker",
  ],
  "harness/campaign": [
    "kernel",
    "checkers",
    "workloads",
    "report",
    "harness/history",
    "harness/nemesis",
    "harness/runner",
  ],
  "harness/cli": "*",
  api: "*",
  bench: "*",
  integration: "*",
  examples: ["api"],
};
const PARTS = Object.keys(MAY_IMPORT);

/** Import patterns that reach `part` from anywhere (its last folder name is unique in the tree). */
const reach = (part) => {
  const name = part.split("/").at(-1);
  return [`**/${name}/**`, `**/${name}`];
};

// Packages, by who may use them.
const dockerCode = ["dockerode", "testcontainers"];
const zkClients = ["zookeeper", "node-zookeeper-client"];
const processes = ["node:child_process", "child_process", "node:worker_threads", "worker_threads"];
const listening = ["node:net", "net", "node:http", "http"];
const network = [...listening, "node:https", "https", "node:dgram", "dgram"];

/** Packages a part's files may not import; `file` says whether it is a test, a testing/ helper, serve.ts. */
function bannedPackages(part, file) {
  const bans = [];
  if (!["docker", "integration"].includes(part) && !(part === "harness/cli" && file.test))
    bans.push(...dockerCode);
  if (!["workloads", "examples", "integration"].includes(part) && !(part === "docker" && file.test))
    bans.push(...zkClients);
  if (!file.test && !file.testing && part !== "bench") bans.push("toxiproxy-node-client");
  if (!file.test && !(part === "report" && file.testing) && part !== "bench") bans.push("playwright-core");
  // Checkers are pure; the kernel runs processes (exec.ts) but never talks to the network; the report
  // reads files and writes HTML, and only serve.ts listens.
  if (part === "checkers") bans.push(...processes, ...network);
  if (part === "kernel") bans.push(...network);
  if (part === "report" && !file.test && !file.testing)
    bans.push(...processes, ...network.filter((p) => !(file.serve && listening.includes(p))));
  return bans;
}

function rule(part, file) {
  const allowed = MAY_IMPORT[part];
  const banned = allowed === "*" ? [] : PARTS.filter((p) => p !== part && !allowed.includes(p));
  const patterns = [];
  if (banned.length)
    patterns.push({
      group: banned.flatMap(reach),
      message: `${part}/ may import only ${allowed.length ? allowed.join(", ") : "nothing of ours"} (the dependency table in eslint.config.js)`,
    });
  const packages = bannedPackages(part, file);
  if (packages.length) patterns.push({ group: packages, message: `${part}/ may not use this package here` });
  return { "no-restricted-imports": ["error", { patterns }] };
}

const TEST = ["**/*.test.ts"];
const TESTING = ["**/testing/**"];
const partConfigs = PARTS.flatMap((part) => {
  const files = [`${part}/**/*.ts`, `${part}/**/*.js`];
  const nested = PARTS.filter((p) => p !== part && p.startsWith(`${part}/`)).map((p) => `${p}/**`);
  return [
    { files, ignores: [...nested, ...TEST, ...TESTING], rules: rule(part, {}) },
    {
      files: files.map((f) => f.replace("**/*", "**/testing/**/*")),
      ignores: nested,
      rules: rule(part, { testing: true }),
    },
    { files: [`${part}/**/*.test.ts`], ignores: nested, rules: rule(part, { test: true }) },
    ...(part === "report" ? [{ files: ["report/serve.ts"], rules: rule(part, { serve: true }) }] : []),
  ];
});

export default tseslint.config(
  { ignores: ["node_modules/**", "results/**", "dist/**", "**/*.bundle.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  ...partConfigs,
);
