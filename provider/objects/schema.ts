// The inputs of the cluster-object resources, one zod schema per shape, each field described once: the plain
// inputs the provider sees and the Pulumi args users write are both derived from these (see ./resource).
import { z } from "zod";
import { ConnectionConfigError } from "../connection/errors";
import { parseConnection } from "../connection/schema";
import type { ClusterConnection } from "../connection/types";
import { containsUnknown } from "../connection/unknown";
import { PHASES } from "../shared/live-destination";
import type { ObjectKind } from "./types";

/** `schema`, except that a value Pulumi does not know yet (preview) passes as it is. */
export function unlessUnknown<T extends z.ZodType>(schema: T) {
  return z.custom<z.input<T>>().transform((value, ctx): z.output<T> => {
    if (containsUnknown(value)) return value as z.output<T>;
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    for (const issue of r.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  });
}

/** A connection, validated by the connection layer (its messages name the field and the fix). */
export function connection(field: string) {
  return z.custom<ClusterConnection>().transform((value, ctx): ClusterConnection => {
    if (value === undefined) {
      ctx.addIssue({
        code: "custom",
        message: 'is required: how to reach the cluster, e.g. { url: "http://10.0.0.6:9200", username, password }',
      });
      return z.NEVER;
    }
    try {
      return parseConnection(value, field);
    } catch (e) {
      if (!(e instanceof ConnectionConfigError)) throw e;
      for (const p of e.problems) {
        // The problem's field below `field` (e.g. "url"), and its message without the field it starts with.
        const below = p.field.startsWith(`${field}.`) ? p.field.slice(field.length + 1).split(".") : [];
        const own = [p.field, field].find((f) => p.message.startsWith(`${f} `));
        ctx.addIssue({
          code: "custom",
          message: own === undefined ? p.message : p.message.slice(own.length + 1),
          path: below,
        });
      }
      return z.NEVER;
    }
  });
}

const json = z.record(z.string(), z.unknown());
const text = (what: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `is required: ${what}` : `must be a string: ${what}`) });

/** Options of one index under an alias. */
export const aliasOptionsSchema = z.strictObject(
  {
    filter: json.optional().describe("Query DSL filter: only matching documents are seen through the alias."),
    routing: z.string().optional().describe("Routing value for both indexing and search through the alias."),
    index_routing: z.string().optional().describe("Routing value for indexing through the alias (over `routing`)."),
    search_routing: z
      .string()
      .optional()
      .describe("Routing values (comma-separated) for searches through the alias (over `routing`)."),
    is_write_index: z.boolean().optional().describe("This index takes the writes sent to the alias (one per alias)."),
    is_hidden: z
      .boolean()
      .optional()
      .describe("Hide the alias from wildcard expressions (Elasticsearch 7.7+, OpenSearch)."),
  },
  {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `has unknown option(s) ${iss.keys.join(", ")}: an alias takes filter, routing, index_routing, search_routing, is_write_index, is_hidden`
        : "must be an object of alias options, e.g. { is_write_index: true }",
  },
);

/** Options of one index under an alias, as `POST _aliases` takes them. */
export type AliasIndexOptions = z.output<typeof aliasOptionsSchema>;

const templateParts = {
  settings: json
    .optional()
    .describe('Index settings, nested or flat (`{ number_of_shards: 1 }`, `{ "index.codec": "best_compression" }`).'),
  mappings: json
    .optional()
    .describe("Typeless mappings (`{ properties: { ... } }`); a 6.x destination gets them under `_doc`."),
  aliases: z
    .record(z.string(), aliasOptionsSchema)
    .optional()
    .describe("Aliases each new index gets, name to options."),
};
const patterns = z
  .array(z.string(), { error: 'must be a list of index patterns, e.g. ["logs-*"]' })
  .min(1, 'must name at least one pattern, e.g. ["logs-*"]');

/** `PUT _index_template/<name>`: a composable index template (Elasticsearch 7.8+, OpenSearch). */
export const indexTemplateBodySchema = z.looseObject({
  index_patterns: patterns.describe("The index name patterns new indices are matched against."),
  template: z.looseObject(templateParts).optional().describe("Settings, mappings and aliases of matching new indices."),
  composed_of: z
    .array(z.string())
    .optional()
    .describe("Component templates merged in, in order (they must exist first)."),
  priority: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe(
      "Among overlapping templates the highest priority wins; two with the same priority and overlapping patterns are refused.",
    ),
  version: z.number().int().optional().describe("Your own version number of the template."),
  _meta: json.optional().describe("Your own metadata (not interpreted by the engine)."),
  data_stream: json.optional().describe("`{}` to make matching names data streams (Elasticsearch 7.9+, OpenSearch)."),
});

/** `PUT _component_template/<name>`: a building block of composable templates. */
export const componentTemplateBodySchema = z.looseObject({
  template: z
    .looseObject(templateParts, {
      error:
        "is required: the settings, mappings and aliases the component adds, e.g. { mappings: { properties: { ... } } }",
    })
    .describe("Settings, mappings and aliases the component adds."),
  version: z.number().int().optional().describe("Your own version number of the component."),
  _meta: json.optional().describe("Your own metadata (not interpreted by the engine)."),
});

/** `PUT _template/<name>`: a legacy index template (every release; deprecated in favour of composable ones). */
export const legacyTemplateBodySchema = z.looseObject({
  index_patterns: patterns.describe(
    "The index name patterns new indices are matched against (5.x's `template` is read as this).",
  ),
  order: z.number().int().optional().describe("Templates matching one index are merged lowest order first. Default 0."),
  version: z.number().int().optional().describe("Your own version number of the template."),
  ...templateParts,
});

/** `PUT _ingest/pipeline/<id>`. */
export const pipelineBodySchema = z.looseObject({
  description: z.string().optional().describe("What the pipeline does."),
  processors: z
    .array(json, {
      error:
        'is required: the list of processors, e.g. [{ set: { field: "ingested", value: "{{_ingest.timestamp}}" } }]',
    })
    .describe("The processors, run in order."),
  on_failure: z.array(json).optional().describe("Processors run when a processor fails."),
  version: z.number().int().optional().describe("Your own version number of the pipeline."),
  _meta: json.optional().describe("Your own metadata (Elasticsearch 7.14+)."),
});

/** `PUT _scripts/<id>`: the `script` object. */
export const scriptBodySchema = z.strictObject({
  lang: text('the script language, e.g. "painless" (or "mustache" for a search template)').describe(
    'The language: "painless", or "mustache" for a search template.',
  ),
  source: z
    .union([z.string(), json], { error: "is required: the script's text (a search template may be an object)" })
    .describe("The script's text; a mustache search template may be an object (stored as its JSON text)."),
  options: z.record(z.string(), z.string()).optional().describe("Compiler options."),
});

/** `POST _aliases`: the indices an alias points to, each with its options. */
export const aliasBodySchema = z.record(z.string(), aliasOptionsSchema, {
  error: 'must be an object of index name to alias options, e.g. { "logs-2024": { is_write_index: true } }',
});

/** Where a `copyFrom` reads the object. */
export const copyFromSchema = z.strictObject(
  {
    source: connection("copyFrom.source").describe("How to reach the source cluster. Stored as a secret."),
    name: z.string().optional().describe("The object's name at the source. Default: the same `name`."),
    indexNames: z
      .record(z.string(), z.string())
      .optional()
      .describe(
        "IndexAlias only: destination name of a source index the alias points to (default: the same name). Indices the destination lacks fail the create.",
      ),
  },
  {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `has unknown field(s) ${iss.keys.join(", ")}: copyFrom takes source, name, indexNames`
        : "must be an object like { source: { url: ... }, name?: ... }",
  },
);

const BODY_SCHEMAS = {
  indexTemplate: indexTemplateBodySchema,
  componentTemplate: componentTemplateBodySchema,
  legacyTemplate: legacyTemplateBodySchema,
  pipeline: pipelineBodySchema,
  script: scriptBodySchema,
  alias: aliasBodySchema,
} as const satisfies Record<ObjectKind, z.ZodType>;

function inputsSchema<K extends ObjectKind>(kind: K) {
  return z
    .strictObject(
      {
        destination: connection("destination").describe(
          "How to reach the destination cluster (URL, credentials). Stored as a secret. Another URL replaces the object.",
        ),
        name: text("the object's name at the destination").describe(
          "The object's name at the destination. Another name replaces the object (the old one is deleted after the new one is made).",
        ),
        body: unlessUnknown(BODY_SCHEMAS[kind])
          .optional()
          .describe("The object's definition, as the engine's PUT takes it. Either body or copyFrom."),
        copyFrom: unlessUnknown(copyFromSchema)
          .optional()
          .describe(
            "Read the definition from a source cluster at create and at every diff (a source change is an update), translated for the destination's engine and version. Either body or copyFrom.",
          ),
        adoptExisting: z
          .boolean()
          .default(false)
          .describe(
            "Take over an object of this name that exists with a different definition (its body is replaced by this one). An existing object with the same definition is adopted without it. Default false: a different one is a preview error.",
          ),
        phase: z
          .enum(PHASES, {
            error:
              'must be "sync" (the default) or "cutover-done" (the destination is live: nothing is written to it anymore)',
          })
          .optional()
          .describe(
            'Where the migration is: "sync" (default: create and update as declared) or "cutover-done" (the destination is live: the object is neither created, updated nor deleted anymore, so what the application changes there stays).',
          ),
      },
      {
        error: (iss) =>
          iss.code === "unrecognized_keys"
            ? `unknown field(s) ${iss.keys.join(", ")}: the resource takes destination, name, body or copyFrom, adoptExisting, phase`
            : "must be an object",
      },
    )
    .superRefine((v, ctx) => {
      if ((v.body === undefined) === (v.copyFrom === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: ["body"],
          message:
            v.body === undefined
              ? "or copyFrom is required: declare the definition (body) or read it from a source (copyFrom)"
              : "and copyFrom are both set: declare the definition (body) or read it from a source (copyFrom), not both",
        });
      }
    });
}

/** Output names the resources seed as undefined (Pulumi passes them along with the inputs); not inputs. */
export const OUTPUT_ONLY = ["typeName", "dropped", "sourceInfo", "destInfo", "adopted"] as const;

/** The input schema of each kind's resource. */
export const INPUT_SCHEMAS = {
  indexTemplate: inputsSchema("indexTemplate"),
  componentTemplate: inputsSchema("componentTemplate"),
  legacyTemplate: inputsSchema("legacyTemplate"),
  pipeline: inputsSchema("pipeline"),
  script: inputsSchema("script"),
  alias: inputsSchema("alias"),
};

/** What the provider of kind `K` sees after check (defaults filled in, the body canonical). */
export type ObjectInputs<K extends ObjectKind = ObjectKind> = z.output<(typeof INPUT_SCHEMAS)[K]>;
/** What a user writes for kind `K`, before Pulumi's Input wrapping. */
export type PlainObjectArgs<K extends ObjectKind = ObjectKind> = z.input<(typeof INPUT_SCHEMAS)[K]>;
export type CopyFromInputs = z.output<typeof copyFromSchema>;
