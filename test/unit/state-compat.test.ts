// State written by 0.1.0 (commit 185f010) holds providers that require these internal modules of the package by
// path and call these names (docs/state-and-upgrades.md); `pulumi refresh` and `destroy` of such a stack run that
// text. Each path must stay exported and keep the names, or old stacks break. The end-to-end proof is
// test/e2e/upgrade-compat.test.ts; this catches a rename in seconds.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
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
