// MigratedIndex's inputs, defined once from its parts' schemas: the destination index's options are
// DestinationIndex's fields, the copy's are Reindex's copy options, the finish's MigrationFinish's. The plain inputs
// the provider sees (./types), the Pulumi args users write (./resource) and docs/reference/migrated-index.md are
// derived from it; each part's own check() validates its part.
import { z } from "zod";
import { destinationIndexInputsSchema } from "../destination-index/schema";
import { migrationFinishInputsSchema } from "../finish/schema";
import { copyOptionsSchema, remoteSchema } from "../reindex/schema";
import type { ArgsOf } from "../shared/define-provider";
import { connectionField, phaseField } from "../shared/schema-fields";

/** How the provider reaches both clusters, and how the destination reaches the source. Stored as one secret. */
const connectionsSchema = z.object({
  destination: connectionField.describe("The destination cluster."),
  source: connectionField.describe("The source cluster, as this provider reaches it."),
  remote: remoteSchema
    .optional()
    .meta({ defaultText: "none (the remote transport needs it; the client transport reads the source itself)" })
    .describe("Where the destination pulls from for remote reindex (`source.remote` of Reindex)."),
});

const index = destinationIndexInputsSchema.shape;
/** The destination index's part: DestinationIndex's inputs but the cluster, the name and copyFrom. */
const targetSchema = z.object({
  settings: index.settings,
  mappings: index.mappings,
  loadSettings: index.loadSettings,
  deletionProtection: index.deletionProtection,
  adoptExisting: index.adoptExisting,
});

const finish = migrationFinishInputsSchema.shape;
/** The finish's part: the settings restored over the index's final ones, and the alias to cut over. */
const finishSchema = z.object({
  finalSettings: finish.finalSettings
    .optional()
    .meta({ defaultText: "the index's final settings (its load settings' values before the load)" }),
  alias: finish.alias,
});

export const migratedIndexInputsSchema = z.object({
  connections: connectionsSchema.describe(
    "How the provider reaches the destination and the source, and how the destination reaches the source for " +
      "remote reindex (`remote`). One object, stored as one secret: ClusterMigration builds it once for all its indices.",
  ),
  sourceIndex: z.string().describe("The source index (one index, no wildcard)."),
  destIndex: z.string().describe("The destination index's name."),
  target: targetSchema
    .optional()
    .meta({ defaultText: "`{}`" })
    .describe("The destination index (see [DestinationIndex](destination-index.md))."),
  copy: copyOptionsSchema
    .optional()
    .meta({ defaultText: "`{}`" })
    .describe("The copy: Reindex's options, `query` and `size` its `source`'s ([copy options](copy-options.md))."),
  finish: finishSchema
    .optional()
    .meta({ defaultText: "`{}`" })
    .describe(
      "The finish: finalSettings over the index's final ones, and the alias moved once the counts verify (see " +
        "[MigrationFinish](migration-finish.md)).",
    ),
  phase: phaseField.describe(
    '"sync": every up copies what changed. "cutover-done": the destination is live (the application writes to ' +
      "it): the next up records that (state and the index's mapping `_meta`), and from then on nothing is copied, " +
      "repaired, deleted or changed for this index, and removing it from the program leaves the index.",
  ),
});

/** The inputs as a program gives them; check fills in the parts left out (`{}`), each part's own check the rest. */
type Given = z.input<typeof migratedIndexInputsSchema>;
export type MigratedIndexInputs = Given & Required<Pick<Given, "target" | "copy" | "finish">>;
export type MigratedIndexConnections = z.output<typeof connectionsSchema>;
export type TargetOptions = z.input<typeof targetSchema>;
export type FinishOptions = z.input<typeof finishSchema>;
/** MigratedIndex's args: every field of the inputs a Pulumi `Input`. */
export type MigratedIndexArgs = ArgsOf<Given>;
