// State written by 0.1.0 (commit 185f010) holds providers that require these internal modules of the package by
// path and call these names (docs/state-and-upgrades.md); `pulumi refresh` and `destroy` of such a stack run that
// text. Each path must stay exported and keep the names, or old stacks break. The end-to-end proof is
// test/e2e/upgrade-compat.test.ts; this catches a rename in seconds.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { describeEstimate, estimateCopy, runsInState } from "../../provider/migrated-index/estimate";
import { summaryOf } from "../../provider/migrated-index/parts";
import { PROVIDER_NAMES } from "../../provider/runtime";

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));

const REQUIRED_BY_0_1_0: Record<string, string[]> = {
  "components/alicloud/api-client": [
    "SECRET_API_KEYS",
    "apiInputsOf",
    "clientToken",
    "createClient",
    "describeApiError",
    "errorCode",
    "loadSdk",
    "sleep",
  ],
  "components/alicloud/plan": ["WHITELIST_KEY", "mergeReindexWhitelist", "splitWhitelist"],
  "provider/connection/client": ["connect"],
  "provider/connection/unknown": ["containsUnknown"],
  "provider/destination-index/ops": [
    "createIndex",
    "deleteIndex",
    "putMapping",
    "putSettings",
    "readIndex",
    "readSource",
    "updateAliases",
  ],
  "provider/destination-index/plan": [
    "aliasActions",
    "createSettings",
    "effectiveState",
    "finalSettingsOf",
    "isLoading",
    "planDiff",
    "reportedAliases",
    "reportedSettings",
    "sameSource",
  ],
  "provider/destination-index/validate": ["checkInputs"],
  "provider/finish/ops": ["aliasHolders", "countIndex", "isConcreteIndex", "readSettings", "refreshIndex"],
  "provider/finish/plan": ["aliasMoveActions", "liveView", "settingsDrift", "verification"],
  "provider/finish/validate": ["checkFinishInputs"],
  "provider/reindex/live-checks": ["liveCheckFailures"],
  "provider/reindex/queries": ["andQuery", "waitingQuery"],
  "provider/reindex/request": ["sourceConnection"],
  "provider/reindex/run": ["ReindexRunError", "runReindex"],
  "provider/reindex/tasks": ["cancelTask", "runningReindexTasks"],
  "provider/reindex/validate": ["validateInputs"],
  "provider/settings/index": [
    "classifyMappingChange",
    "classifySettingChange",
    "declaredView",
    "normalizeSettings",
    "settingKind",
  ],
};

describe("state written by 0.1.0 keeps working", () => {
  it.each(Object.entries(REQUIRED_BY_0_1_0))(
    "dist/%s.js stays exported with the names that state calls",
    async (file, names) => {
      // The old path resolves to an adapter in compat/ that re-exports the names from wherever they live now.
      expect(pkg.exports[`./dist/${file}.js`]).toBe(`./dist/compat/${file}.js`);
      const mod = await import(`../../compat/${file}`);
      for (const name of names) expect(mod[name], `${file}: ${name}`).toBeDefined();
    },
  );

  it("the stable runtime entry is exported and knows every provider name state may hold", () => {
    expect(pkg.exports["./runtime"]).toMatchObject({ default: "./dist/provider/runtime/index.js" });
    expect([...PROVIDER_NAMES].sort()).toEqual(
      expect.arrayContaining([
        "DestinationIndex",
        "ElasticsearchInstanceWhitelist",
        "ElasticsearchVpcEndpoint",
        "MigratedIndex",
        "MigratedIndexGroup",
        "MigrationFinish",
        "Reindex",
        "SnapshotMigration",
      ]),
    );
    // The cluster objects' and data streams' providers (added after 0.1.0).
    expect([...PROVIDER_NAMES]).toEqual(
      expect.arrayContaining([
        "IndexTemplate",
        "LegacyIndexTemplate",
        "ComponentTemplate",
        "IngestPipeline",
        "StoredScript",
        "IndexAlias",
        "DataStream",
      ]),
    );
  });
});

describe("state written before copies kept their runs (no copyRuns, copyRate without fixed seconds)", () => {
  // A MigratedIndex's outputs as the release before the fitted model wrote them (trimmed to what estimates read).
  const before = {
    copyState: {
      status: "complete",
      created: 2_000,
      updated: 500,
      durationSeconds: 1.2,
      verification: { method: "changes" },
    },
    copyRate: { docsPerSecond: 2_083, bytesPerSecond: 250_000, measured: true },
    estimate: {
      documents: 2_500,
      bytes: 300_000,
      seconds: 0.13,
      rate: { docsPerSecond: 20_000, bytesPerSecond: 0, measured: false },
    },
  };

  it("estimates from its last run, without taking that small run's documents per second as the rate", () => {
    expect(runsInState(before.copyState)).toEqual([{ documents: 2_500, seconds: 1.2 }]);
    const next = estimateCopy(1_000_000, { docs: 1_000_000, bytes: 120_000_000 }, runsInState(before.copyState));
    expect(next.rate).toMatchObject({ measured: true, runs: 1 });
    expect(next.rate.docsPerSecond).toBeGreaterThan(3 * before.copyRate.docsPerSecond);
  });

  it("still shows its recorded estimate and rate", () => {
    expect(describeEstimate(before.estimate)).toMatch(
      /^2,500 document\(s\) \(293\.0 KB\) to copy, about 0\.13s at 20,000 docs\/s/,
    );
    const i = { connections: {} as any, sourceIndex: "logs", destIndex: "logs", target: {}, copy: {}, finish: {} };
    const row = summaryOf(i, before as any);
    expect(row).toMatchObject({ bytesPerSecond: 250_000, estimate: before.estimate });
  });
});
