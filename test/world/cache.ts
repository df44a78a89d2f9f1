// One folder holds everything the test world downloads or builds (Maven and Go caches, engine classpaths,
// the Pulumi CLI), so a second run on the same machine starts warm. `.ci/run` points it outside the clone.
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "..", "..");

export function cacheDir(...parts: string[]): string {
  const root = process.env.PULUMI_ES_MIGRATE_CACHE ?? path.join(repoRoot, ".cache");
  return path.join(root, ...parts);
}
