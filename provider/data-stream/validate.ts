// check()'s first half for DataStream: the inputs' shape (one zod schema, each field described; the connections
// through the connection layer's own checks), problems as { property, reason } naming the field and the fix. Values
// Pulumi does not know yet (preview) pass as they are.
import { z } from "zod";
import { UNKNOWN, isUnknown } from "../connection";
import { connection, unlessUnknown } from "../objects/schema";
import { indexNameProblems } from "../shared/index-names";
import { PHASES } from "../shared/live-destination";
import { type Problem, problemsFromZod } from "../shared/problems";
import type { DataStreamInputs } from "./types";

const unknownValue = z.literal(UNKNOWN);
const body = z.record(z.string(), z.unknown());
const FIELDS = "cluster, name, copyFrom, template, manageTemplate, adoptExisting, phase";

/** The fields DataStream takes. */
export const dataStreamSchema = z.strictObject(
  {
    cluster: connection("cluster").describe(
      "The destination cluster: URL with scheme and port, and credentials. Stored as a secret.",
    ),
    name: z
      .union([z.string(), unknownValue], {
        error: (iss) =>
          iss.input === undefined ? 'is required: the data stream\'s name, e.g. "logs-app"' : "must be a string",
      })
      .describe("The data stream's name at the destination (lowercase, no `*?\"<>|,#/\\` or spaces)."),
    copyFrom: unlessUnknown(
      z.strictObject(
        {
          cluster: connection("copyFrom.cluster").describe("The source cluster the stream's template is read from."),
          name: z.string().optional().describe("The source stream's name. Default: `name`."),
        },
        {
          error: (iss) =>
            iss.code === "invalid_type"
              ? "must be { cluster, name? }: the source cluster and its stream's name"
              : undefined,
        },
      ),
    )
      .optional()
      .describe(
        "Create the stream from the source stream's composable template (and the component templates it is composed of).",
      ),
    template: unlessUnknown(
      z.strictObject(
        {
          name: z.string().describe("The composable index template's name."),
          body: body.describe(
            "Its `PUT _index_template` body: index_patterns matching the stream, data_stream: {}, template, composed_of, priority.",
          ),
          components: z
            .record(z.string(), body)
            .default({})
            .describe("By name: the body of each component template in composed_of."),
        },
        {
          error: (iss) =>
            iss.code === "invalid_type"
              ? "must be { name, body, components? }: body as PUT _index_template takes it"
              : undefined,
        },
      ),
    )
      .optional()
      .describe("The template to create the stream from, declared. Default: the source stream's (copyFrom)."),
    manageTemplate: z
      .boolean({ error: "must be true or false" })
      .optional()
      .describe(
        "Default true: this resource puts the stream's template (and its component templates) and keeps it as declared. False: the template is another resource's (e.g. an IndexTemplate this stream dependsOn); the stream is created from the destination's template as it stands, and this resource neither puts nor compares it.",
      ),
    adoptExisting: z
      .union([z.boolean(), unknownValue], { error: "must be true or false" })
      .optional()
      .describe(
        "Take over a stream, or a template of another body, that already exists at the destination. Default false.",
      ),
    phase: z
      .enum(PHASES, {
        error:
          'must be "sync" (the default) or "cutover-done" (the destination is live: nothing is written to it anymore)',
      })
      .optional()
      .describe(
        'Where the migration is: "sync" (default) or "cutover-done" (the destination is live: the stream and its template are neither created, put nor changed anymore).',
      ),
  },
  {
    error: (iss) => (iss.code === "unrecognized_keys" ? `is not a field of DataStream: it takes ${FIELDS}` : undefined),
  },
);

// Output names the resource seeds as undefined (Pulumi passes them along with the inputs).
const OUTPUT_ONLY = ["uuid", "timestampField", "backingIndices", "templateName", "adopted", "__provider"];

/** Validates and normalizes raw inputs; `inputs` is complete only when `problems` is empty. Pure. */
export function checkDataStreamInputs(news: Record<string, unknown>): {
  inputs: DataStreamInputs;
  problems: Problem[];
} {
  const given = Object.fromEntries(
    Object.entries(news).filter(([k, v]) => !OUTPUT_ONLY.includes(k) && v !== undefined),
  );
  const parsed = dataStreamSchema.safeParse(given);
  if (!parsed.success) {
    // An unknown field is named as its own property: "templates is not a field of DataStream ...".
    const problems = problemsFromZod(parsed.error).map((p) =>
      /^\s*is not a field/.test(p.reason) ? { property: p.property, reason: `${p.property} ${p.reason.trim()}` } : p,
    );
    return { inputs: news as unknown as DataStreamInputs, problems };
  }
  const v = parsed.data;
  const problems: Problem[] = [];
  if (typeof v.name === "string" && !isUnknown(v.name))
    for (const reason of indexNameProblems(v.name, "name")) problems.push({ property: "name", reason });
  if (v.manageTemplate === false && v.template !== undefined) {
    problems.push({
      property: "template",
      reason:
        "template is declared but manageTemplate is false: declare the template on its own resource (IndexTemplate) and drop it here, or set manageTemplate: true",
    });
  }
  if (v.copyFrom === undefined && v.template === undefined && v.manageTemplate !== false) {
    problems.push({
      property: "template",
      reason:
        "template or copyFrom is required: a data stream is created from a composable index template with data_stream: {} (declare it, or copy the source stream's with copyFrom)",
    });
  }
  const inputs: DataStreamInputs = {
    cluster: v.cluster,
    name: v.name,
    adoptExisting: (v.adoptExisting ?? false) as boolean,
  };
  if (v.copyFrom !== undefined) inputs.copyFrom = v.copyFrom as DataStreamInputs["copyFrom"];
  if (v.template !== undefined) inputs.template = v.template as DataStreamInputs["template"];
  if (v.manageTemplate === false) inputs.manageTemplate = false;
  if (v.phase !== undefined) inputs.phase = v.phase;
  return { inputs, problems };
}
