import { defineConfig } from "vitest/config";

// Unit tests are pure and run in parallel. Integration and end-to-end tests start real JVM nodes and the
// real Pulumi CLI: on a 2-core machine they run one file at a time, with generous timeouts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 15 * 60_000,
          globalSetup: ["test/world/global-setup.ts"],
          hookTimeout: 20 * 60_000,
        },
      },
    ],
  },
});
