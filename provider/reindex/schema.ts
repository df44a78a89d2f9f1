// Reindex's inputs, defined once: each field's type, default and description. The plain inputs the provider sees
// (./types), the Pulumi args users write (./resource), the field lists check() accepts (./validate), the copy options
// MigratedIndex and the migration components pass through, and docs/reference/reindex.md are all derived from these.
// check() (./validate) applies the rules between fields with messages that name the fix.
import { z } from "zod";
import type { ArgsOf } from "../shared/define-provider";
import { connectionField, phaseField } from "../shared/schema-fields";
import { VERIFY_LEVELS } from "../verify";

/** Default own deadline of one create/update: 6 hours. */
export const DEFAULT_TIMEOUT_SECONDS = 6 * 3600;
/** Default share of the destination's documents one reconciling run may delete. */
export const DEFAULT_MAX_DELETE_PERCENT = 5;
/** Default look-back of an incremental window (./window). */
export const DEFAULT_LOOKBACK = "5m";
export const DELETES_POLICIES = ["ignore", "report", "reconcile"] as const;

/** Where the destination pulls from, as the destination sees it (`source.remote` of `POST _reindex`). */
export const remoteSchema = z.object({
  host: z
    .string()
    .describe(
      "The source as the destination cluster reaches it: `scheme://host:port`, port written out, no path " +
        '(e.g. "http://10.0.0.5:9200"; on Alibaba Cloud v3 the PrivateLink endpoint domain, on AWS ":443"). ' +
        "It must be in the destination's `reindex.remote.whitelist` (`reindex.remote.allowlist` on " +
        "OpenSearch 2+, the only name OpenSearch 3 reads); preview checks that when the destination's node " +
        "settings show it, and warns otherwise.",
    ),
  username: z.string().optional().meta({ defaultText: "none" }).describe("Basic-auth user on the source."),
  password: z
    .string()
    .optional()
    .meta({ defaultText: "none" })
    .describe("Basic-auth password on the source. Kept secret in the state and never logged."),
  socketTimeout: z
    .string()
    .optional()
    .meta({ defaultText: '"30s" (the engine\'s)' })
    .describe(
      'How long the destination waits for each page from the source, e.g. "120s"; raise it for large documents or a slow source.',
    ),
  connectTimeout: z
    .string()
    .optional()
    .meta({ defaultText: '"30s" (the engine\'s)' })
    .describe('How long the destination waits to connect to the source, e.g. "10s".'),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .meta({ defaultText: "none" })
    .describe("Extra headers the destination sends to the source (e.g. a proxy's token). Kept secret."),
  external: z
    .boolean()
    .optional()
    .meta({ defaultText: "false" })
    .describe(
      "Amazon OpenSearch Service destinations only: the source is not an AWS domain (https, public-CA certificate, basic auth).",
    ),
  region: z
    .string()
    .optional()
    .meta({ defaultText: "the destination's" })
    .describe("Amazon OpenSearch Service destinations only: region of a source domain in another region."),
});

const query = z.record(z.string(), z.unknown());

/** What to copy and from where. */
const sourceSchema = z.object({
  index: z.string().describe('Source index (or pattern, e.g. "logs-2024-*").'),
  remote: remoteSchema
    .optional()
    .meta({ defaultText: "none: the source index is on the destination cluster itself" })
    .describe("Where the destination pulls from (`source.remote` of `POST _reindex`)."),
  cluster: connectionField
    .optional()
    .meta({ defaultText: "the remote host with its username/password" })
    .describe(
      "How this provider reaches the source for counts, partition ranges and the client transport. Set it " +
        "when the provider sees the source at another address than the destination does (e.g. a tunnel, or a " +
        "TLS CA the provider needs).",
    ),
  query: query
    .optional()
    .meta({ defaultText: "all documents" })
    .describe('Query DSL (the inside of `query`, e.g. `{ term: { tenant: "blue" } }`) narrowing what is copied.'),
  size: z
    .number()
    .int()
    .optional()
    .meta({ defaultText: "chosen from the source's average document size (a page of about 25 MiB, 1 to 1000)" })
    .describe(
      "Documents per scroll page read from the source (1 to 10000). Set, it is where a run starts. Either " +
        'way a page the destination cannot buffer ("chunk that was too large") is halved and the copy goes ' +
        "on; see docs/reindex.md.",
    ),
});

/** What each run copies. */
const modeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("full") }),
  z.object({
    type: z.literal("incremental"),
    field: z.string().describe('A date (or number) that every write sets to its time, e.g. "update_time".'),
    lookback: z
      .union([z.string(), z.number()])
      .optional()
      .meta({ defaultText: JSON.stringify(DEFAULT_LOOKBACK) })
      .describe(
        "How far before the last watermark each window starts, so that writes that become searchable late and " +
          'writes at the watermark\'s own value are found: a duration ("5m", "30s", "2h"; for a numeric field, ' +
          "milliseconds) or a number in the field's units.",
      ),
  }),
  z.object({ type: z.literal("missingField"), field: z.string().describe("The field the copied documents lack.") }),
]);

/** Parallel remote reindex tasks over disjoint ranges of a field. */
const partitionsSchema = z.object({
  field: z.string().describe("A numeric or date field of the source to split on."),
  count: z
    .number()
    .int()
    .optional()
    .meta({ defaultText: "two a write thread of the destination's data nodes (2-8), chosen by the first run and kept" })
    .describe("How many tasks run at once (1 to 32)."),
});

const verifyLevel = z.enum(VERIFY_LEVELS);
const VERIFY_TEXT =
  "How each run checks the destination against the source (within the query), repairing what differs: " +
  '"count" compares counts (fewer at the destination fails the run); "ids" compares the id sets and ' +
  'copies missing documents again; "content" also compares each document\'s `_source` and copies ' +
  "differing ones again. A destination changed by someone else since the last run is found at preview " +
  "and plans an update.";

/** Reindex's inputs: what a program declares, and (z.output) what the provider sees after check. */
export const reindexInputsSchema = z.object({
  cluster: connectionField.describe(
    "The destination cluster: it runs the reindex task. Passwords and keys in it are kept secret.",
  ),
  destIndex: z.string().describe("The destination index, usually `DestinationIndex.index`."),
  destIndexUuid: z
    .string()
    .optional()
    .meta({ defaultText: "not tracked" })
    .describe("`DestinationIndex.uuid`: when the index is recreated (new uuid), the copy runs again in full."),
  source: sourceSchema.describe("What to copy and from where."),
  mode: modeSchema
    .default({ type: "full" })
    .describe(
      '`{ type: "full" }` copies everything the query matches once. `{ type: "incremental", field, ' +
        "lookback? }` copies, on each `pulumi up`, the window of documents whose `field` (a date or number " +
        "that grows on every write) is at or past the last watermark minus the look-back; preview says how " +
        'many documents the destination lacks or holds in an older version. `{ type: "missingField", field }` ' +
        "copies the documents without `field`.",
    ),
  partitions: partitionsSchema
    .optional()
    .meta({ defaultText: "one task" })
    .describe(
      "Run `count` remote reindex tasks at once over disjoint ranges of `field` (numeric or date), each holding " +
        "about as many documents (ranges from the field's percentiles). Remote reindex has no slices: this is how " +
        "it uses more than one destination thread. Without `count`: two a write thread of the destination's data " +
        "nodes (2-8), chosen by the first run and kept (output `partitionCount`). With the client transport, " +
        "`count` is the number of parallel slices.",
    ),
  slices: z
    .union([z.number().int(), z.literal("auto")])
    .optional()
    .meta({ defaultText: "1" })
    .describe('Local source only (no `source.remote`): slices of the reindex request, a number or "auto".'),
  transport: z
    .enum(["remote", "client"])
    .default("remote")
    .describe(
      '"remote": the destination pulls from the source (`POST _reindex` with `source.remote`). "client": ' +
        "this provider reads the source and bulk-writes the destination, for when the destination cannot " +
        "reach the source (Alibaba v2/v3 mixes, a source in another network, a self-signed source certificate " +
        "on AWS).",
    ),
  requestsPerSecond: z
    .number()
    .optional()
    .meta({ defaultText: "no throttle" })
    .describe("Throttle in documents per second. Set it to spare a busy source or destination."),
  conflicts: z
    .enum(["abort", "proceed"])
    .optional()
    .meta({ defaultText: '"abort"' })
    .describe('"proceed" counts version conflicts instead of stopping.'),
  opType: z
    .enum(["index", "create"])
    .optional()
    .meta({ defaultText: '"index" (overwrite by _id)' })
    .describe('"create" writes only documents missing at the destination (needs conflicts: "proceed").'),
  dataStream: z
    .boolean()
    .optional()
    .meta({ defaultText: "false" })
    .describe(
      'destIndex is a data stream (DataStream.name): documents go in with op_type "create" and conflicts ' +
        '"proceed" (a stream takes no other writes; what is already there is skipped), internal versions, and ' +
        "incremental windows are allowed with them (a stream's documents are appended, not updated).",
    ),
  timeout: z
    .number()
    .default(DEFAULT_TIMEOUT_SECONDS)
    .describe(
      "Own deadline of one create/update in seconds (Pulumi's customTimeouts do not reach dynamic " +
        "providers); 21600 is 6h. Running tasks are left running and the next up attaches.",
    ),
  verify: z
    .union([verifyLevel, z.boolean().transform((b) => (b ? "ids" : "count"))])
    .default("ids")
    .describe(`${VERIFY_TEXT} (\`true\`/\`false\` of earlier releases read as "ids"/"count".)`),
  deletes: z
    .enum(DELETES_POLICIES)
    .default("report")
    .describe(
      'Destination documents the source no longer has (deleted at the source): "report" names how many at ' +
        'preview and up and leaves them; "reconcile" deletes them during up (never more than ' +
        'maxDeletePercent); "ignore". The source is never written.',
    ),
  maxDeletePercent: z
    .number()
    .default(DEFAULT_MAX_DELETE_PERCENT)
    .describe(
      'With deletes "reconcile": above this share (percent, 0 to 100) of the destination\'s documents, up fails and deletes nothing.',
    ),
  scroll: z
    .string()
    .optional()
    .meta({ defaultText: "the engine's 5m for pages of up to 1,000 documents, 5m more per further 1,000" })
    .describe(
      'How long the source keeps the scroll between two pages (`scroll` of remote reindex), e.g. "30m"; ' +
        "raise it for large documents or a slow destination (AWS suggests hours for large copies).",
    ),
  phase: phaseField.describe(
    '"sync": every `pulumi up` copies what changed. "cutover-done": the destination is the live index ' +
      "(the application writes to it): the next up records that (in the state and the index's mapping " +
      "`_meta`) and from then on the copy never runs again: no copy, repair or delete, preview plans " +
      "nothing, removing it deletes nothing. `cutover()` of `pulumi-es-migrate/automation` records the same " +
      'by itself. See docs/automation.md, "Lifecycle".',
  ),
});

/** The top-level inputs Reindex takes, in declaration order. */
export const REINDEX_FIELDS = Object.keys(reindexInputsSchema.shape) as (keyof ReindexInputs)[];
export const SOURCE_FIELDS = Object.keys(sourceSchema.shape) as (keyof SourceSpec)[];
export const REMOTE_FIELDS = Object.keys(remoteSchema.shape) as (keyof RemoteSource)[];

/**
 * The copy options MigratedIndex and the migration components pass through to a Reindex: its top-level options
 * but the connection, the names, the uuid and the data-stream ones, and the source's `query` and `size`.
 */
const top = reindexInputsSchema.shape;
export const copyOptionsSchema = z.object({
  mode: top.mode,
  partitions: top.partitions,
  transport: top.transport,
  query: sourceSchema.shape.query,
  size: sourceSchema.shape.size,
  requestsPerSecond: top.requestsPerSecond,
  conflicts: top.conflicts,
  timeout: top.timeout,
  // The levels only: true/false are Reindex's earlier releases' state, not the components'.
  verify: verifyLevel.default("ids").describe(VERIFY_TEXT),
  deletes: top.deletes,
  maxDeletePercent: top.maxDeletePercent,
  scroll: top.scroll,
});
export const COPY_OPTION_FIELDS = Object.keys(copyOptionsSchema.shape) as (keyof CopyOptions)[];

/** Inputs as the provider sees them after check (plain values, defaults filled in). */
export type ReindexInputs = z.output<typeof reindexInputsSchema>;
export type SourceSpec = z.output<typeof sourceSchema>;
export type RemoteSource = z.output<typeof remoteSchema>;
export type ReindexMode = z.output<typeof modeSchema>;
export type Partitions = z.output<typeof partitionsSchema>;
export type Transport = ReindexInputs["transport"];
/** What happens to destination documents that no longer exist at the source. */
export type DeletesPolicy = ReindexInputs["deletes"];
/** The copy options as a program gives them (each passed to the Reindex, whose check normalizes). */
export type CopyOptions = z.input<typeof copyOptionsSchema>;

/** Reindex's args: every field of the inputs a Pulumi `Input`, the defaulted ones optional. */
export type ReindexArgs = ArgsOf<z.input<typeof reindexInputsSchema>>;
export type ReindexSourceArgs = ArgsOf<z.input<typeof sourceSchema>>;
export type ReindexRemoteArgs = ArgsOf<z.input<typeof remoteSchema>>;
export type ReindexModeArgs = z.input<typeof modeSchema>;
/** The copy options of a component's args (IndexMigration, ClusterMigration's defaults, MigratedIndex's `copy`). */
export type CopyOptionArgs = ArgsOf<CopyOptions>;
