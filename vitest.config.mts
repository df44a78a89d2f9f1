import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Integration files that take minutes, longest first. Vitest starts the longest files first when it knows their
// durations from an earlier run, and the largest files first when it does not, as on a clean clone in CI: with two
// files at a time, a long file started last would run alone at the end.
const LONG_FILES = [
  "test/e2e/chaos.test.ts",
  "test/e2e/automation.test.ts",
  "test/e2e/demo.test.ts",
  "test/integration/reindex.test.ts",
  "test/e2e/cluster-objects.test.ts",
];

function longRank(spec: TestSpecification): number {
  const rank = LONG_FILES.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
  return rank === -1 ? LONG_FILES.length : rank;
}

class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // A stable sort: every other file keeps Vitest's order.
    return (await super.sort(files)).sort((a, b) => longRank(a) - longRank(b));
  }
}

// Unit tests are pure and run in parallel. Integration and end-to-end tests start real JVM nodes and the real
// Pulumi CLI: two files at a time (one file alone keeps a 2-core machine about 70% busy, waiting on nodes starting,
// the CLI and its engine), each file on its own nodes, ports and state, with generous timeouts.
export default defineConfig({
  test: {
    sequence: { sequencer: LongFilesFirst },
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
          maxWorkers: 2,
          testTimeout: 15 * 60_000,
          globalSetup: ["test/world/global-setup.ts"],
          hookTimeout: 20 * 60_000,
        },
      },
    ],
  },
});
