// Runs once in the main vitest process before the integration and end-to-end tests.
import { execFileSync } from "node:child_process";
import { repoRoot } from "./cache";

export default function setup(): () => Promise<void> {
  // Pulumi programs under test load the package from dist/, so it must match the sources.
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: repoRoot,
    stdio: "inherit",
  });
  return async () => {};
}
