// Pure decisions of ClusterMigration about the cluster objects it copies beside the indices (templates of the three
// kinds, ingest pipelines, stored scripts, the migrated indices' aliases): the `objects` option's problems, which
// kinds and names it selects, which plan rows become resources (and which stop the preview), each child's name, and
// the ingest pipelines the migrated indices name. Table-tested in test/unit/migration-objects.test.ts.
import { namedPipelines, normalizeSettings } from "../../provider/settings";
import type { ObjectKind, ObjectPlanRow } from "../../provider/objects/types";
import type { ClusterMigrationArgs, ClusterObjectsOptions, ObjectSelection } from "./types";

/** Each option of `objects` and the kinds it covers. */
export const OBJECT_OPTIONS: Readonly<
  Record<Exclude<keyof ClusterObjectsOptions, "adoptExisting" | "dataStreams">, readonly ObjectKind[]>
> = {
  templates: ["indexTemplate", "legacyTemplate"],
  componentTemplates: ["componentTemplate"],
  pipelines: ["pipeline"],
  scripts: ["script"],
  aliases: ["alias"],
};
type KindOption = keyof typeof OBJECT_OPTIONS;
const OPTION_OF = Object.fromEntries(
  Object.entries(OBJECT_OPTIONS).flatMap(([o, kinds]) => kinds.map((k) => [k, o])),
) as Record<ObjectKind, KindOption>;
// `dataStreams` belongs to the data streams' part of ClusterMigration; it is a known field here.
const FIELDS = [...Object.keys(OBJECT_OPTIONS), "adoptExisting", "dataStreams"];

const plainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const patternList = (v: unknown) => Array.isArray(v) && v.every((p) => typeof p === "string" && p !== "");

/** Problems with the `objects` option, each naming the field and the fix. Pure. */
export function objectOptionProblems(value: unknown): string[] {
  if (value === undefined) return [];
  if (!plainObject(value))
    return ['objects must be an object, e.g. { scripts: false, templates: { exclude: ["old-*"] } }'];
  const problems: string[] = [];
  const extra = Object.keys(value).filter((k) => !FIELDS.includes(k));
  if (extra.length > 0)
    problems.push(`objects: unknown field(s) ${extra.join(", ")}: objects takes ${FIELDS.join(", ")}`);
  for (const option of Object.keys(OBJECT_OPTIONS)) {
    const v = value[option];
    if (v === undefined || typeof v === "boolean") continue;
    const shape = `objects.${option} must be true (default), false, or { include?, exclude? } lists of name patterns, e.g. { include: ["logs-*"] }`;
    if (!plainObject(v)) problems.push(shape);
    else {
      const wrong = Object.keys(v).filter((k) => k !== "include" && k !== "exclude");
      if (wrong.length > 0) problems.push(`objects.${option}: unknown field(s) ${wrong.join(", ")}: ${shape}`);
      for (const k of ["include", "exclude"])
        if (v[k] !== undefined && !patternList(v[k]))
          problems.push(`objects.${option}.${k} must be a list of name patterns (\`*\` wildcard), e.g. ["logs-*"]`);
    }
  }
  if (value.adoptExisting !== undefined && typeof value.adoptExisting !== "boolean")
    problems.push(
      "objects.adoptExisting must be true or false (default false: an object the destination has with another definition stops the preview)",
    );
  if (value.dataStreams !== undefined && typeof value.dataStreams !== "boolean")
    problems.push("objects.dataStreams must be true (default: data streams are migrated as streams) or false");
  return problems;
}

function pattern(p: string): RegExp {
  return new RegExp(
    `^${p
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
}

/** The selection of one kind: undefined when the kind is off. */
function selectionOf(objects: ClusterObjectsOptions | undefined, kind: ObjectKind): ObjectSelection | undefined {
  const v = objects?.[OPTION_OF[kind]];
  if (v === false) return undefined;
  return v === undefined || v === true ? {} : v;
}

/** The kinds `objects` leaves on (every kind by default). Pure. */
export function selectedKinds(objects: ClusterObjectsOptions | undefined): ObjectKind[] {
  return (Object.keys(OPTION_OF) as ObjectKind[]).filter((k) => selectionOf(objects, k) !== undefined);
}

/** Whether `objects` copies the object `name` of `kind`. Pure. */
export function objectSelected(objects: ClusterObjectsOptions | undefined, kind: ObjectKind, name: string): boolean {
  const s = selectionOf(objects, kind);
  if (s === undefined) return false;
  if (s.include !== undefined && !s.include.some((p) => pattern(p).test(name))) return false;
  return !(s.exclude ?? []).some((p) => pattern(p).test(name));
}

/** The child resource's name: `<migration>-<kind>-<object>`, e.g. `shop-index-template-orders`. */
export function objectChildName(migration: string, kind: ObjectKind, name: string): string {
  const role: Record<ObjectKind, string> = {
    componentTemplate: "component-template",
    indexTemplate: "index-template",
    legacyTemplate: "legacy-template",
    pipeline: "pipeline",
    script: "script",
    alias: "alias",
  };
  return `${migration}-${role[kind]}-${name}`;
}

/** What ClusterMigration does with the plan rows: the ones it declares, and the ones it cannot. */
export interface ObjectDecisions {
  /** Rows declared as resources (create, same, and differs when adopted). */
  declared: ObjectPlanRow[];
  /** Rows that stop the preview: an object the destination has with another definition, not adopted. */
  differs: ObjectPlanRow[];
  /** Rows that cannot be made at the destination (left out, with a warning naming them). */
  cannot: ObjectPlanRow[];
}

/**
 * Sorts the rows (already narrowed to what `objects` selects) into what is declared, what stops the preview and what
 * is left out. With `phase: "cutover-done"` an object the destination has with another definition is declared as
 * well (its child, cut over, leaves it as it is). Pure.
 */
export function decideObjects(
  rows: readonly ObjectPlanRow[],
  objects: ClusterObjectsOptions | undefined,
  phase?: unknown,
): ObjectDecisions {
  // Cut over, the destination is the application's: what it changed there is no conflict, and the children write nothing.
  const adopt = objects?.adoptExisting === true || phase === "cutover-done";
  return {
    declared: rows.filter((r) => r.action === "create" || r.action === "same" || (r.action === "differs" && adopt)),
    differs: adopt ? [] : rows.filter((r) => r.action === "differs"),
    cannot: rows.filter((r) => r.action === "cannot"),
  };
}

/** The option that turns `kind` off, for messages: `objects.templates`. */
export const optionOf = (kind: ObjectKind) => `objects.${OPTION_OF[kind]}`;

/** The preview error for objects the destination has with another definition: each named, and the ways out. */
export function differsMessage(component: string, differs: readonly ObjectPlanRow[]): string {
  const list = differs.map((r) => `${r.kind} "${r.name}" (differs in ${(r.differences ?? []).join(", ")})`).join("; ");
  const kinds = [...new Set(differs.map((r) => optionOf(r.kind)))];
  return (
    `${component}: the destination already has ${differs.length === 1 ? "an object" : `${differs.length} objects`} of the source's names with another definition: ${list}. ` +
    "Nothing was changed, and nothing is overwritten silently. Either set objects.adoptExisting: true to replace them with the source's definitions, " +
    `or leave them out (e.g. ${kinds
      .map(
        (k) =>
          `${k}: { exclude: [${differs
            .filter((r) => optionOf(r.kind) === k)
            .map((r) => JSON.stringify(r.name))
            .join(", ")}] }`,
      )
      .join(", ")}).`
  );
}

/** The warning for objects the destination cannot hold: each named with why, and how to leave it out knowingly. */
export function cannotMessage(component: string, cannot: readonly ObjectPlanRow[]): string {
  const list = cannot.map((r) => `${r.kind} "${r.name}": ${(r.reasons ?? []).join("; ")}`).join("; ");
  return `${component}: not copied, the destination cannot hold them: ${list}. Leave them out with ${[...new Set(cannot.map((r) => optionOf(r.kind)))].map((o) => `${o}: { exclude: [...] }`).join(", ")} to silence this, or declare them yourself in a form the destination takes.`;
}

/** One index's ingest pipelines: its source name and each pipeline setting it has. */
export interface IndexPipelines {
  index: string;
  pipelines: { key: string; pipeline: string }[];
}

/** The pipelines each source index names (`GET _settings` answer, flat or nested), for the indices listed only. Pure. */
export function indexPipelines(
  settingsAnswer: Record<string, { settings?: Record<string, unknown> }> | undefined,
  indices: readonly string[],
): IndexPipelines[] {
  const wanted = new Set(indices);
  return Object.entries(settingsAnswer ?? {})
    .filter(([index]) => wanted.has(index))
    .map(([index, body]) => ({ index, pipelines: namedPipelines(normalizeSettings(body.settings ?? {})) }))
    .filter((i) => i.pipelines.length > 0)
    .sort((a, b) => (a.index < b.index ? -1 : 1));
}

/**
 * The preview's line of held pipelines, and the problems of pipelines a migrated index names that will not be at
 * the destination (neither copied now nor there already): the finish could not restore them. Pure.
 */
export function pipelineHolds(
  component: string,
  named: readonly IndexPipelines[],
  copied: ReadonlySet<string>,
  atDestination: ReadonlySet<string>,
  overrides: ClusterMigrationArgs["overrides"],
): { line?: string; problems: string[] } {
  if (named.length === 0) return { problems: [] };
  const short = (key: string) => key.replace(/^index\./, "");
  const line = `${component}: ingest pipelines the indices name are held at "_none" during the load (the documents were processed once, at the source) and restored by the finish: ${named.map((i) => `${i.index} (${i.pipelines.map((p) => `${short(p.key)} ${p.pipeline}`).join(", ")})`).join(", ")}`;
  const problems: string[] = [];
  for (const i of named) {
    // A pipeline setting declared in the index's override is the user's: it is not the source's to restore.
    const declared = normalizeSettings((overrides?.[i.index]?.settings as Record<string, unknown> | undefined) ?? {});
    for (const p of i.pipelines) {
      if (declared[p.key] !== undefined || copied.has(p.pipeline) || atDestination.has(p.pipeline)) continue;
      problems.push(
        `index "${i.index}" names the ingest pipeline "${p.pipeline}" (${p.key}), which is neither copied (see objects.pipelines and the objects above) nor at the destination: the finish could not restore it. ` +
          `Copy it (objects.pipelines), create it at the destination, or declare overrides: { "${i.index}": { settings: { "${p.key}": "_none" } } } to leave it off`,
      );
    }
  }
  return { line, problems };
}
