// check()'s first half for DataStream: the inputs' shape (one zod schema, each field described), problems as
// { property, reason } naming the field and the fix. Values Pulumi does not know yet (preview) pass as they are.
import { z } from "zod";
import { ConnectionConfigError, UNKNOWN, isUnknown, parseConnection } from "../connection";
import type { ClusterConnection } from "../connection/types";
import { indexNameProblems } from "../shared/index-names";
import type { Problem } from "../shared/problems";
import type { DataStreamInputs } from "./types";


const unknownValue = z.literal(UNKNOWN);
const body = z.record(z.string(), z.unknown());

/** The fields DataStream takes; the connections are checked by the connection layer's own schema. */
export const dataStreamSchema = z.strictObject({
  cluster: z.unknown().optional().describe("The destination cluster: URL with scheme and port, and credentials. Stored as a secret."),
  name: z
    .union([z.string(), unknownValue], { error: (iss) => (iss.input === undefined ? 'name is required: the data stream\'s name, e.g. "logs-app"' : "name must be a string") })
    .describe("The data stream's name at the destination (lowercase, no `*?\"<>|,#/\\` or spaces)."),
  copyFrom: z
    .union([
      z.strictObject({
        cluster: z.unknown().optional().describe("The source cluster the stream's template is read from."),
        name: z.union([z.string(), unknownValue]).optional().describe("The source stream's name. Default: `name`."),
      }),
      unknownValue,
    ], { error: "copyFrom must be { cluster, name? }: the source cluster and its stream's name" })
    .optional()
    .describe("Create the stream from the source stream's composable template (and the component templates it is composed of)."),
  template: z
    .union([
      z.strictObject({
        name: z.string().describe("The composable index template's name."),
        body: body.describe("Its `PUT _index_template` body: index_patterns matching the stream, data_stream: {}, template, composed_of, priority."),
        components: z.record(z.string(), body).default({}).describe("By name: the body of each component template in composed_of."),
      }),
      unknownValue,
    ], { error: "template must be { name, body, components? }: body as PUT _index_template takes it" })
    .optional()
    .describe("The template to create the stream from, declared. Default: the source stream's (copyFrom)."),
  adoptExisting: z.union([z.boolean(), unknownValue], { error: "adoptExisting must be true or false" }).optional().describe("Take over a stream, or a template of another body, that already exists at the destination. Default false."),
});

// Output names the resource seeds as undefined (Pulumi passes them along with the inputs).
const OUTPUT_ONLY = ["uuid", "timestampField", "backingIndices", "templateName", "adopted", "__provider"];

function connectionOf(value: unknown, field: string, failures: Problem[]): ClusterConnection | undefined {
  if (value === undefined) {
    failures.push({ property: field, reason: `${field} is required: how to reach the cluster, e.g. { url: "http://10.0.0.5:9200", username, password }` });
    return undefined;
  }
  try {
    return parseConnection(value, field);
  } catch (e) {
    if (!(e instanceof ConnectionConfigError)) throw e;
    for (const p of e.problems) failures.push({ property: field, reason: p.message });
    return undefined;
  }
}

/** Validates and normalizes raw inputs; `inputs` is complete only when `problems` is empty. Pure. */
export function checkDataStreamInputs(news: Record<string, unknown>): { inputs: DataStreamInputs; problems: Problem[] } {
  const failures: Problem[] = [];
  const given = Object.fromEntries(Object.entries(news).filter(([k, v]) => !OUTPUT_ONLY.includes(k) && v !== undefined));
  const parsed = dataStreamSchema.safeParse(given);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const property = issue.path.length > 0 ? issue.path.map(String).join(".") : "inputs";
      const extra = issue.code === "unrecognized_keys" ? `${issue.keys.join(", ")}: not a field of ${property === "inputs" ? "DataStream" : property} (DataStream takes cluster, name, copyFrom, template, adoptExisting)` : undefined;
      failures.push({ property: issue.code === "unrecognized_keys" ? (property === "inputs" ? issue.keys[0] : property) : property, reason: extra ?? issue.message });
    }
    return { inputs: news as unknown as DataStreamInputs, problems: failures };
  }
  const v = parsed.data;
  const cluster = connectionOf(v.cluster, "cluster", failures);
  if (typeof v.name === "string" && !isUnknown(v.name)) {
    for (const p of indexNameProblems(v.name, "name")) failures.push({ property: "name", reason: p });
  }
  let copyFrom: DataStreamInputs["copyFrom"];
  if (v.copyFrom !== undefined && !isUnknown(v.copyFrom)) {
    const c = v.copyFrom as { cluster: unknown; name?: string };
    const src = connectionOf(c.cluster, "copyFrom.cluster", failures);
    if (src !== undefined) copyFrom = c.name === undefined ? { cluster: src } : { cluster: src, name: c.name };
  } else if (v.copyFrom !== undefined) copyFrom = v.copyFrom as unknown as DataStreamInputs["copyFrom"];
  if (v.copyFrom === undefined && v.template === undefined) {
    failures.push({ property: "template", reason: "template or copyFrom is required: a data stream is created from a composable index template with data_stream: {} (declare it, or copy the source stream's with copyFrom)" });
  }
  const inputs: DataStreamInputs = { cluster: cluster as ClusterConnection, name: v.name as string, adoptExisting: (v.adoptExisting ?? false) as boolean };
  if (copyFrom !== undefined) inputs.copyFrom = copyFrom;
  if (v.template !== undefined) inputs.template = v.template as DataStreamInputs["template"];
  return { inputs, problems: failures };
}
