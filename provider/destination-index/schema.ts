// DestinationIndex's inputs, defined once: each field's type, default and description. The plain inputs the
// provider sees (./types), the Pulumi args users write, the fields check() accepts (./validate), MigratedIndex's
// `target` part and docs/reference/destination-index.md are derived from it; check() applies the rules (settings
// kinds, mapping shape, alias names) with messages that name the fix.
import { z } from "zod";
import type { FlatSettings, Mapping } from "../settings";
import type { ArgsOf } from "../shared/define-provider";
import { connectionField, phaseField, settingsField } from "../shared/schema-fields";

/** Load settings used when none are given: the fastest bulk load, restored by the migration afterwards. */
export const DEFAULT_LOAD_SETTINGS: FlatSettings = { "index.number_of_replicas": "0", "index.refresh_interval": "-1" };

/** Options of one alias, as the create-index API takes them. */
const aliasOptionsSchema = z.object({
  filter: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Query DSL filter: only matching documents are seen through the alias."),
  routing: z.string().optional().describe("Routing value for both indexing and search through the alias."),
  index_routing: z.string().optional().describe("Routing value for indexing through the alias."),
  search_routing: z.string().optional().describe("Routing value for searches through the alias."),
  is_write_index: z.boolean().optional().describe("Make this index the alias's write index."),
  is_hidden: z.boolean().optional().describe("Hide the alias from wildcard expressions."),
});
export const ALIAS_OPTION_FIELDS = Object.keys(aliasOptionsSchema.shape) as (keyof AliasOptions)[];

/** The source index whose settings and mappings are copied. */
const copyFromSchema = z.object({
  cluster: connectionField.describe(
    "How to reach the source cluster (URL, credentials). Secrets are stored encrypted in the state.",
  ),
  index: z.string().describe("The source index whose settings and mappings are copied (one index, no pattern)."),
});

export const destinationIndexInputsSchema = z.object({
  cluster: connectionField.describe(
    "How to reach the destination cluster: URL with scheme and port, and username/password, apiKey or aws " +
      "(SigV4). The whole connection is stored as a secret. Pointing it at another cluster (another URL) " +
      "replaces the index.",
  ),
  index: z
    .string()
    .describe(
      'Name of the index on the destination. Lowercase, no `*?"<>|,#/\\` or spaces. Changing it replaces the index.',
    ),
  copyFrom: copyFromSchema
    .optional()
    .meta({ defaultText: "nothing copied, only `settings` and `mappings`" })
    .describe(
      "Copy the settings (shard count, analysis, other user settings) and mappings of a source index, the way " +
        "Alibaba's indiceCreate.py does: read-only settings stripped, a 6.x mapping type unwrapped for " +
        "7+/OpenSearch. Read once at create (and again only when copyFrom's URL or index changes). Removing " +
        "copyFrom later keeps what was copied.",
    ),
  settings: settingsField
    .optional()
    .meta({ defaultText: "none" })
    .describe(
      'Index settings, nested (`{ number_of_shards: 3 }`, `{ index: { ... } }`) or flat (`{ "index.codec": ... }`). ' +
        "They override copied ones. Static settings (shards, codec, analysis, sort) replace the index when " +
        "changed; dynamic ones (replicas, refresh interval, max_result_window, ...) are updated in place.",
    ),
  mappings: z
    .record(z.string(), z.unknown())
    .pipe(z.custom<Mapping>())
    .optional()
    .meta({ defaultText: "none" })
    .describe(
      "Typeless mappings (`{ properties: { ... } }`); fields override copied fields of the same name. Added " +
        "fields update in place; a changed type or a removed field replaces the index.",
    ),
  aliases: z
    .union([z.record(z.string(), aliasOptionsSchema), z.array(z.string())])
    .pipe(z.custom<Record<string, AliasOptions>>())
    .optional()
    .meta({ defaultText: "none" })
    .describe(
      'Aliases of the index, name to options (`{ "logs": {} }`; the options of the create-index API: ' +
        `${ALIAS_OPTION_FIELDS.join(", ")}), or a list of names. ` +
        "Updated in place.",
    ),
  loadSettings: settingsField
    .default(DEFAULT_LOAD_SETTINGS)
    .describe(
      "Dynamic settings applied while data is loaded, over the declared/copied ones. `finalSettings` says what " +
        "to restore afterwards (the migration does). Set `{}` to create the index with its final settings right away.",
    ),
  deletionProtection: z
    .boolean()
    .default(true)
    .describe(
      "While true, deleting the index (destroy, or a replace) fails and the index stays: set false (and " +
        "`pulumi up`) before a change that replaces the index or before `pulumi destroy`.",
    ),
  adoptExisting: z
    .boolean()
    .default(false)
    .describe(
      "Take over an index that already exists instead of failing: its settings and mappings are compared with " +
        "the declared ones, dynamic settings and new fields are applied, a static difference is an error. Load " +
        "settings are not applied to an adopted index.",
    ),
  phase: phaseField.describe(
    '"sync": the index is the migration\'s, updated as declared. "cutover-done": the index is the live one (the ' +
      "application writes to it): the next up records that (in the state and the index's mapping `_meta`) and " +
      "from then on no settings, mappings or aliases are changed, and removing the resource (or destroy) leaves " +
      "the index, whatever deletionProtection says. `cutover()` of `pulumi-es-migrate/automation` records the " +
      "same by itself.",
  ),
});

/** The inputs DestinationIndex takes, in declaration order. */
export const DESTINATION_INDEX_FIELDS = Object.keys(
  destinationIndexInputsSchema.shape,
) as (keyof DestinationIndexInputs)[];

/** What the provider sees after check: plain values, settings in canonical form, defaults filled in. */
export type DestinationIndexInputs = z.output<typeof destinationIndexInputsSchema>;
export type AliasOptions = z.output<typeof aliasOptionsSchema>;
export type CopyFromInputs = z.output<typeof copyFromSchema>;
/** DestinationIndex's args: every field of the inputs a Pulumi `Input`, the defaulted ones optional. */
export type DestinationIndexArgs = ArgsOf<z.input<typeof destinationIndexInputsSchema>>;
export type CopyFromArgs = ArgsOf<CopyFromInputs>;
