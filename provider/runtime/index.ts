// `pulumi-es-migrate/runtime`: the one entry of the package that providers serialized into Pulumi state call.
//
// Pulumi stores each dynamic resource's provider in the state as JavaScript text and runs that text again for
// refresh, update and destroy, possibly after the package was upgraded. The text (./delegate.ts) only names a
// provider and calls `provider(name)` here, so a later release can move or rename every internal file as long as
// this entry and these names stay. Names are part of the state format: never rename or remove one, only add.
import type * as pulumi from "@pulumi/pulumi";
import { instanceWhitelistProvider } from "../alicloud/instance-whitelist";
import { vpcEndpointProvider } from "../alicloud/vpc-endpoint";
import { dataStreamProvider } from "../data-stream/provider";
import { destinationIndexProvider } from "../destination-index/provider";
import { migrationFinishProvider } from "../finish/provider";
import { migratedIndexGroupProvider } from "../migrated-index/group";
import { migratedIndexProvider } from "../migrated-index/provider";
import { objectProvider } from "../objects/provider";
import { reindexProvider } from "../reindex/provider";
import { snapshotMigrationProvider } from "../snapshot/provider";
import { watchEngineOnce } from "./watchdog";

// Alibaba's SDK is loaded by its providers' methods, not here: this entry loads without any cloud SDK.
const PROVIDERS: Record<string, () => pulumi.dynamic.ResourceProvider> = {
  DestinationIndex: () => destinationIndexProvider,
  Reindex: () => reindexProvider,
  MigrationFinish: () => migrationFinishProvider,
  ElasticsearchVpcEndpoint: () => vpcEndpointProvider as pulumi.dynamic.ResourceProvider,
  ElasticsearchInstanceWhitelist: () => instanceWhitelistProvider as pulumi.dynamic.ResourceProvider,
  MigratedIndex: () => migratedIndexProvider,
  SnapshotMigration: () => snapshotMigrationProvider,
  MigratedIndexGroup: () => migratedIndexGroupProvider,
  IndexTemplate: () => objectProvider("indexTemplate"),
  LegacyIndexTemplate: () => objectProvider("legacyTemplate"),
  ComponentTemplate: () => objectProvider("componentTemplate"),
  IngestPipeline: () => objectProvider("pipeline"),
  StoredScript: () => objectProvider("script"),
  IndexAlias: () => objectProvider("alias"),
  DataStream: () => dataStreamProvider,
};

/** The names a serialized provider may ask for. */
export const PROVIDER_NAMES: readonly string[] = Object.keys(PROVIDERS);

/** The provider named `name` (a resource type: "DestinationIndex", "Reindex", ...). */
export function provider(name: string): pulumi.dynamic.ResourceProvider {
  // In the engine's dynamic-provider process: stop when the engine is gone (./watchdog).
  watchEngineOnce();
  const load = PROVIDERS[name];
  if (load === undefined) {
    throw new Error(
      `pulumi-es-migrate has no provider "${name}" (it has ${PROVIDER_NAMES.join(", ")}): the state was written by a newer ` +
        "release of pulumi-es-migrate; install that release in this program (npm install pulumi-es-migrate@<version>)",
    );
  }
  return load();
}
