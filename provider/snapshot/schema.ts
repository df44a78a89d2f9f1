// SnapshotMigration's inputs, defined once: each field's type, default and description. The plain inputs the
// provider sees (./types), the Pulumi args users write (./resource), the fields check() accepts and diff compares
// (./validate) and docs/reference/snapshot-migration.md are derived from it; check() applies the rules (repository
// settings per type, index names, the catch-up's Reindex checks) with messages that name the fix.
import { z } from "zod";
import { DEFAULT_LOOKBACK, DEFAULT_TIMEOUT_SECONDS, remoteSchema } from "../reindex/schema";
import type { ArgsOf } from "../shared/define-provider";
import { connectionField, phaseField } from "../shared/schema-fields";
import { VERIFY_LEVELS } from "../verify";

export const REPOSITORY_TYPES = ["fs", "s3", "oss"] as const;

/** A snapshot repository, registered on the source (read-write) and on the destination (read-only). */
const repositorySchema = z.object({
  name: z.string().describe("The repository's name on both clusters."),
  type: z
    .enum(REPOSITORY_TYPES)
    .describe(
      '"fs" (a shared folder), "s3" (Amazon S3; on Amazon OpenSearch Service the registration is SigV4-signed by ' +
        'an `aws` connection) or "oss" (Alibaba Cloud OSS).',
    ),
  settings: z
    .record(z.string(), z.unknown())
    .describe(
      "The type's settings as the engine takes them: `location` for fs (a folder in `path.repo` of every node of " +
        "both clusters); `bucket`, and on Amazon OpenSearch Service `role_arn`, for s3; `endpoint`, " +
        "`access_key_id`, `secret_access_key`, `bucket`, `base_path`, `compress` for oss.",
    ),
});

/** The catch-up after the restore: a Reindex window on a field that grows with every write. */
const catchUpSchema = z.object({
  field: z.string().describe('A date (or a number of epoch milliseconds) that every write sets, e.g. "updated_at".'),
  lookback: z
    .union([z.string(), z.number()])
    .default(DEFAULT_LOOKBACK)
    .describe(
      "How far before the snapshot's start the first window opens (a duration, or a number in the field's units).",
    ),
});

/** Destination names, as the restore API renames. */
const renameSchema = z.object({
  pattern: z.string().describe("A regular expression over the source index names (the engine's `rename_pattern`)."),
  replacement: z.string().describe("The destination name, `$1`.. for groups (the engine's `rename_replacement`)."),
});

export const snapshotMigrationInputsSchema = z.object({
  source: connectionField.describe(
    "How the provider reaches the source cluster (snapshot, counts, the catch-up's reads). Secrets stay secret.",
  ),
  destination: connectionField.describe(
    "The destination cluster (restore, catch-up, verification). Secrets stay secret.",
  ),
  sourceRemote: remoteSchema
    .optional()
    .meta({ defaultText: "none: the catch-up copies through the provider (client transport), no allow list needed" })
    .describe("How the destination reaches the source for the catch-up's remote reindex (`source.remote` of Reindex)."),
  repository: repositorySchema.describe(
    "The repository both clusters share: registered read-write on the source and `readonly: true` on the " +
      "destination. Secret in the state.",
  ),
  indices: z.array(z.string()).describe("Source index names (no wildcards)."),
  snapshot: z
    .string()
    .optional()
    .meta({ defaultText: "`es-migrate-<resource name>` (lower case)" })
    .describe("The snapshot's name in the repository."),
  catchUp: catchUpSchema
    .optional()
    .meta({ defaultText: "none: each run verifies against the live source and copies by id what differs" })
    .describe(
      "Copies what was written at the source since the snapshot began: a Reindex window on `field` from the " +
        "snapshot's start minus `lookback`. Every later `pulumi up` copies the next window.",
    ),
  rename: renameSchema
    .optional()
    .meta({ defaultText: "the same names" })
    .describe('Destination names, e.g. `{ pattern: "(.+)", replacement: "restored-$1" }`.'),
  deletionProtection: z
    .boolean()
    .default(true)
    .describe("While true, destroy leaves the restored indices in place (the snapshot and the registrations go)."),
  verify: z
    .enum(VERIFY_LEVELS)
    .default("ids")
    .describe(
      'How each run checks the destination against the source: "count", "ids" or "content". Differences are repaired.',
    ),
  timeout: z
    .number()
    .default(DEFAULT_TIMEOUT_SECONDS)
    .describe(
      "Own deadline of one create/update in seconds (21600 is 6h); a running snapshot or restore is attached to by the next up.",
    ),
  phase: phaseField.describe(
    '"sync": every `pulumi up` catches up and verifies. "cutover-done": the restored indices are live, so no ' +
      "later up, refresh or destroy writes to them or deletes them (whatever deletionProtection says). " +
      "`cutover()` records the same by itself.",
  ),
});

/** The inputs kept secret in the state (inputs and outputs): the connections and the repository. */
export const SNAPSHOT_SECRET_INPUTS = ["source", "destination", "sourceRemote", "repository"] as const;

/** The inputs SnapshotMigration takes, in declaration order. */
export const SNAPSHOT_MIGRATION_FIELDS = Object.keys(
  snapshotMigrationInputsSchema.shape,
) as (keyof SnapshotMigrationInputs)[];

type Parsed = z.output<typeof snapshotMigrationInputsSchema>;
/** What the provider sees after check: defaults filled in, and the snapshot's name (the resource derives it). */
export type SnapshotMigrationInputs = Parsed & Required<Pick<Parsed, "snapshot">>;
export type RepositorySpec = z.output<typeof repositorySchema>;
export type RepositoryType = RepositorySpec["type"];
export type CatchUpSpec = z.output<typeof catchUpSchema>;
export type RenameSpec = z.output<typeof renameSchema>;
/** SnapshotMigration's args: every field of the inputs a Pulumi `Input`, the defaulted ones optional. */
export type SnapshotMigrationArgs = ArgsOf<z.input<typeof snapshotMigrationInputsSchema>>;
