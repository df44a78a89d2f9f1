// The components the plugin serves (`construct`): the TypeScript users' classes, built with the served args as they
// come (the schema has the same field names and shapes), their outputs handed back by name (an output a component
// does not have, such as the outbound connection of an address source, is left out).
import type * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import type { ClusterMigrationArgs, IndexMigrationArgs } from "../components/migration";
import {
  ALICLOUD_REINDEX_ACCESS_OUTPUTS,
  AWS_REINDEX_ACCESS_OUTPUTS,
  buildAlicloudReindexAccess,
  buildAwsReindexAccess,
} from "./cloud-access";
import { assertServed, servedType } from "./served-resources";

type Migration = typeof import("../components/migration");

/** One served component: its output names, and how to build it (loaded on first use, after ./served-resources). */
interface ServedComponent {
  outputs: readonly string[];
  build(
    name: string,
    inputs: pulumi.Inputs,
    opts: pulumi.ComponentResourceOptions,
  ): pulumi.ComponentResource | Promise<pulumi.ComponentResource>;
}

const INDEX_MIGRATION_OUTPUTS = [
  "destIndex",
  "uuid",
  "sourceCount",
  "destCount",
  "created",
  "updated",
  "durationSeconds",
  "docsPerSecond",
  "verified",
  "watermark",
  "summary",
] as const;

const COMPONENTS: Record<string, ServedComponent> = {
  [servedType("IndexMigration")]: {
    outputs: INDEX_MIGRATION_OUTPUTS,
    build(name, inputs, opts) {
      // Loaded here, not at the top: the resource classes must extend the served class (./served-resources).
      const { IndexMigration } = require("../components/migration") as Migration;
      assertServed(
        (require("../provider/destination-index") as typeof import("../provider/destination-index")).DestinationIndex,
      );
      return new IndexMigration(name, inputs as unknown as IndexMigrationArgs, opts);
    },
  },
  [servedType("ClusterMigration")]: {
    outputs: ["indices", "dataStreams", "skipped", "summary"],
    build(name, inputs, opts) {
      const { ClusterMigration } = require("../components/migration") as Migration;
      assertServed(
        (require("../provider/migrated-index") as typeof import("../provider/migrated-index")).MigratedIndex,
      );
      return new ClusterMigration(name, inputs as unknown as ClusterMigrationArgs, opts);
    },
  },
  // Their cloud SDK loads here, on first use (./cloud-access).
  [servedType("AwsReindexAccess")]: { outputs: AWS_REINDEX_ACCESS_OUTPUTS, build: buildAwsReindexAccess },
  [servedType("AlicloudReindexAccess")]: {
    outputs: ALICLOUD_REINDEX_ACCESS_OUTPUTS,
    build: buildAlicloudReindexAccess,
  },
};

/** The `construct` of the plugin's provider. */
export async function construct(
  name: string,
  type: string,
  inputs: pulumi.Inputs,
  opts: pulumi.ComponentResourceOptions,
): Promise<provider.ConstructResult> {
  const served = COMPONENTS[type];
  if (served === undefined)
    throw new Error(`es-migrate serves no component ${type} (it serves ${Object.keys(COMPONENTS).join(", ")})`);
  const component = await served.build(name, inputs, opts);
  const outputs = component as unknown as Record<string, pulumi.Output<unknown> | undefined>;
  const state = served.outputs.flatMap((o) => (outputs[o] === undefined ? [] : [[o, outputs[o]] as const]));
  return { urn: component.urn, state: Object.fromEntries(state) };
}
