import { defineConfig } from "vitest/config";

/**
 * Two projects, both run by `bash scripts/test.sh` (and so by CI):
 * - unit: synth assertions, the loader and its bad-input corpus, the guard, stand-in-backed
 *   command tests; no external program but node.
 * - integration: real programs or whole-project runs: the SoftEther server, the plugin downloads
 *   against a local HTTP server, the offline Terraform stage, main.ts as a child process.
 * `npx vitest run --project unit` is the quick loop while editing.
 */
const INTEGRATION = [
  "__tests__/terraform/**/*.test.ts",
  "__tests__/network/vpn-bootstrap.test.ts",
  "__tests__/kafka/kafka-client-bootstrap.test.ts",
  "__tests__/connect/download-connectors.test.ts",
  "__tests__/main.test.ts",
  "__tests__/synth-command.test.ts",
  "__tests__/synth-reproducible.test.ts",
  "__tests__/**/*.cli.test.ts",
];

export default defineConfig({
  test: {
    globals: true,
    // Both cores: vitest's default on a 2-core machine is one worker (the unit project alone:
    // 79 s with one, 51 s with two, measured back to back on a quiet machine).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["__tests__/**/*.test.ts"],
          exclude: INTEGRATION,
          // Test files share their worker's module cache: cdktf, the provider bindings and the
          // constructs load once per worker instead of once per file (~23 s of the unit run).
          // Unit tests therefore keep no state outside their file: no process.chdir (the loader
          // takes `cwd`), no changes to process.env or globals, no vi.mock (the integration
          // project, isolated, holds the one test that mocks a module).
          isolate: false,
          pool: "threads",
        },
      },
      { extends: true, test: { name: "integration", include: INTEGRATION } },
    ],
  },
});
