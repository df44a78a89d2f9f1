// Pure decisions of the migration components: argument problems (each naming the field and the fix), how the
// destination reaches the source by default, the settings to declare and restore, and which source indices become
// which IndexMigrations in which lane. Table-tested in test/unit/migration-plan.test.ts.
import * as pulumi from "@pulumi/pulumi";
import { ConnectionConfigError, parseConnection } from "../../provider/connection";
import type { ClusterConnection } from "../../provider/connection/types";
import { indexNameProblems } from "../../provider/destination-index/validate";
import type { SourceIndexList } from "../../provider/indices";
import type { ReindexRemoteArgs } from "../../provider/reindex";
import { COPY_OPTION_FIELDS } from "../../provider/reindex/schema";
import { type FlatSettings, SettingsShapeError, normalizeSettings, settingKind } from "../../provider/settings";
import { phaseProblem } from "../../provider/shared/live-destination";
import { objectOptionProblems } from "./objects-plan";
import { snapshotOptionProblems } from "./snapshot-plan";
import type { ClusterMigrationArgs, IndexMigrationArgs, IndexMigrationOverride, SkippedIndex } from "./types";

const OPTION_FIELDS = [
  "destIndex",
  ...COPY_OPTION_FIELDS,
  "settings",
  "mappings",
  "loadSettings",
  "finalSettings",
  "alias",
  "deletionProtection",
  "adoptExisting",
  "phase",
];
export const INDEX_MIGRATION_FIELDS = ["source", "sourceRemote", "destination", "index", ...OPTION_FIELDS];
export const CLUSTER_MIGRATION_FIELDS = [
  "source",
  "sourceRemote",
  "destination",
  "include",
  "exclude",
  "defaults",
  "overrides",
  "concurrency",
  "groups",
  "destIndexName",
  "method",
  "snapshotAboveBytes",
  "snapshot",
  "phase",
  "objects",
];

/** A value the program already holds (not an Output or a Promise): only those can be checked at construction. */
function known(v: unknown): boolean {
  return v !== undefined && !pulumi.Output.isInstance(v) && !(v instanceof Promise);
}
const plainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) && known(v);

function unknownFields(value: Record<string, unknown>, allowed: string[], where: string, what: string): string[] {
  const extra = Object.keys(value).filter((k) => !allowed.includes(k));
  return extra.length === 0
    ? []
    : [`${where}unknown field(s) ${extra.join(", ")}: ${what} takes ${allowed.join(", ")}`];
}

/** Problems with a connection argument, as far as its known parts tell. */
function connectionProblems(value: unknown, field: string, needsRemoteForm: boolean): string[] {
  if (value === undefined)
    return [`${field} is required: how to reach the cluster, e.g. { url: "http://10.0.0.5:9200", username, password }`];
  if (!plainObject(value)) return [];
  const url = value.url;
  if (url === undefined) return [`${field}.url is required, e.g. "http://10.0.0.5:9200"`];
  if (!known(url)) return [];
  try {
    // Only the URL: other parts (a password from config) may still be Outputs here; the resources check them.
    parseConnection({ url }, field, { allowPath: !needsRemoteForm });
    return [];
  } catch (e) {
    if (!(e instanceof ConnectionConfigError)) throw e;
    const hint = needsRemoteForm
      ? " (the destination reaches the source at this URL unless sourceRemote says otherwise)"
      : "";
    return e.problems.map((p) => p.message + hint);
  }
}

function settingsProblems(value: unknown, field: string, dynamicOnly: boolean): string[] {
  if (value === undefined || !known(value)) return [];
  if (!plainObject(value))
    return [`${field} must be an object of settings, e.g. { number_of_replicas: 1, refresh_interval: "1s" }`];
  try {
    const flat = normalizeSettings(value);
    if (!dynamicOnly) return [];
    return Object.keys(flat)
      .filter((k) => settingKind(k) !== "dynamic")
      .map(
        (k) =>
          `${field}: "${k}" is not a dynamic setting, so it cannot be restored after the load: put it in settings instead`,
      );
  } catch (e) {
    if (e instanceof SettingsShapeError) return [`${field}: ${e.message}`];
    return [`${field} could not be read as settings`];
  }
}

function nameProblems(value: unknown, field: string): string[] {
  if (!known(value)) return [];
  if (typeof value !== "string") return [`${field} must be a string (an index name)`];
  return indexNameProblems(value, field);
}

/** Problems with one index's options (`where` prefixes the field names, e.g. "overrides.logs."). */
function optionProblems(o: Record<string, unknown>, where: string): string[] {
  const problems: string[] = [];
  if (o.destIndex !== undefined) problems.push(...nameProblems(o.destIndex, `${where}destIndex`));
  if (o.alias !== undefined) {
    problems.push(...nameProblems(o.alias, `${where}alias`));
    if (known(o.alias) && o.alias === o.destIndex)
      problems.push(`${where}alias "${o.alias}" is the destination index's own name: an alias needs another name`);
  }
  problems.push(...settingsProblems(o.settings, `${where}settings`, false));
  problems.push(...settingsProblems(o.loadSettings, `${where}loadSettings`, true));
  problems.push(...settingsProblems(o.finalSettings, `${where}finalSettings`, true));
  for (const flag of ["deletionProtection", "adoptExisting"]) {
    if (known(o[flag]) && typeof o[flag] !== "boolean") problems.push(`${where}${flag} must be true or false`);
  }
  if (known(o.transport) && o.transport !== "remote" && o.transport !== "client")
    problems.push(`${where}transport must be "remote" or "client"`);
  const phase = known(o.phase) ? phaseProblem(o.phase) : undefined;
  if (phase !== undefined) problems.push(`${where}${phase}`);
  return problems;
}

/** What both migrations' args can get wrong: fields they do not take, the source and destination connections. */
function migrationProblems(a: Record<string, unknown>, fields: string[], what: string): string[] {
  return [
    ...unknownFields(a, fields, "", what),
    ...connectionProblems(a.source, "source", a.sourceRemote === undefined),
    ...connectionProblems(a.destination, "destination", false),
  ];
}

/** Every problem with IndexMigration's args that can be told before anything runs. Pure. */
export function indexMigrationProblems(args: IndexMigrationArgs): string[] {
  const a = args as unknown as Record<string, unknown>;
  if (!plainObject(a)) return ["args must be an object: { source, destination, index, ... }"];
  const problems = migrationProblems(a, INDEX_MIGRATION_FIELDS, "IndexMigration");
  if (a.index === undefined) problems.push('index is required: the source index to migrate, e.g. "logs-2024"');
  else problems.push(...nameProblems(a.index, "index"));
  if (known(a.alias) && a.destIndex === undefined && a.alias === a.index)
    problems.push(
      `alias "${String(a.alias)}" is the destination index's own name: an alias needs another name (set destIndex, e.g. "${String(a.index)}-v2")`,
    );
  problems.push(...optionProblems(a, ""));
  return problems;
}

function patternsProblems(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((p) => typeof p !== "string" || p === ""))
    return [`${field} must be a list of index name patterns, e.g. ["logs-*", "orders"]`];
  return [];
}

/** Every problem with ClusterMigration's args that can be told before the source is listed. Pure. */
export function clusterMigrationProblems(args: ClusterMigrationArgs): string[] {
  const a = args as unknown as Record<string, unknown>;
  if (!plainObject(a)) return ["args must be an object: { source, destination, include?, ... }"];
  const problems = migrationProblems(a, CLUSTER_MIGRATION_FIELDS, "ClusterMigration");
  problems.push(
    ...patternsProblems(a.include, "include"),
    ...patternsProblems(a.exclude, "exclude"),
    ...snapshotOptionProblems(args),
    ...objectOptionProblems(a.objects),
  );
  const phase = known(a.phase) ? phaseProblem(a.phase) : undefined;
  if (phase !== undefined) problems.push(phase);
  if (
    a.concurrency !== undefined &&
    (typeof a.concurrency !== "number" || !Number.isInteger(a.concurrency) || a.concurrency < 1)
  ) {
    problems.push(
      `concurrency must be a whole number of at least 1 (indices copied at once), not ${JSON.stringify(a.concurrency)}`,
    );
  }
  if (
    a.groups !== undefined &&
    (typeof a.groups !== "number" || !Number.isInteger(a.groups) || a.groups < 1 || a.groups > 1000)
  ) {
    problems.push(
      `groups must be a whole number from 1 to 1000 (resources the indices are registered as), not ${JSON.stringify(a.groups)}`,
    );
  }
  if (a.destIndexName !== undefined && typeof a.destIndexName !== "function")
    problems.push("destIndexName must be a function of the source index name, e.g. (name) => `${name}-v2`");
  if (a.defaults !== undefined) {
    if (!plainObject(a.defaults))
      problems.push('defaults must be an object of index options, e.g. { mode: { type: "full" } }');
    else {
      for (const k of ["destIndex", "alias"]) {
        if (a.defaults[k] !== undefined)
          problems.push(
            `defaults.${k} would give every index the same ${k}: set it per index in overrides (or use destIndexName)`,
          );
      }
      if (a.defaults.phase !== undefined)
        problems.push(
          "defaults.phase: set phase on the ClusterMigration itself (every index), or per index in overrides",
        );
      problems.push(...unknownFields(a.defaults, OPTION_FIELDS, "defaults: ", "defaults"));
      problems.push(...optionProblems({ ...a.defaults, destIndex: undefined, alias: undefined }, "defaults."));
    }
  }
  if (a.overrides !== undefined) {
    if (!plainObject(a.overrides))
      problems.push(
        'overrides must be an object of source index name to options, e.g. { "logs": { alias: "logs-current" } }',
      );
    else {
      for (const [name, o] of Object.entries(a.overrides)) {
        if (!plainObject(o)) problems.push(`overrides.${name} must be an object of index options`);
        else
          problems.push(
            ...unknownFields(o, OPTION_FIELDS, `overrides.${name}: `, "an override"),
            ...optionProblems(o, `overrides.${name}.`),
          );
      }
    }
  }
  return problems;
}

/** Throws one error listing every problem, prefixed with the component, e.g. `IndexMigration "logs": ...`. */
export function assertNoProblems(component: string, problems: string[]): void {
  if (problems.length > 0) throw new Error(`${component}: ${problems.join("; ")}`);
}

/** How the destination reaches the source when sourceRemote is not given: the source URL and its credentials. */
export function defaultRemote(source: ClusterConnection): ReindexRemoteArgs {
  const remote: ReindexRemoteArgs = { host: source.url.replace(/\/+$/, "") };
  if (source.username !== undefined) remote.username = source.username;
  if (source.password !== undefined) remote.password = source.password;
  // Remote reindex knows basic auth only; an API key travels as a header.
  const headers: Record<string, string> = { ...(source.headers ?? {}) };
  if (source.apiKey !== undefined) headers.Authorization = `ApiKey ${source.apiKey}`;
  if (Object.keys(headers).length > 0) remote.headers = headers;
  return remote;
}

/** The DestinationIndex's settings: declared settings with the final ones over them (canonical form). */
export function declaredSettings(
  settings: Record<string, unknown> | undefined,
  finalSettings: Record<string, unknown> | undefined,
): FlatSettings | undefined {
  if (settings === undefined && finalSettings === undefined) return undefined;
  return { ...normalizeSettings(settings), ...normalizeSettings(finalSettings) };
}

/** What the finish restores: the DestinationIndex's finalSettings with the declared final ones over them. */
export function restoredSettings(
  reported: FlatSettings | undefined,
  finalSettings: Record<string, unknown> | undefined,
): FlatSettings {
  return { ...(reported ?? {}), ...normalizeSettings(finalSettings) };
}

/** One IndexMigration a ClusterMigration declares. */
export interface PlannedIndex {
  /** Source index name. */
  index: string;
  destIndex: string;
  /** Top-level documents at the source when listed (`_count`). */
  docs: number;
  /** Defaults with the index's override over them. */
  options: IndexMigrationOverride;
  /** Position of the index whose finish this one's copy waits for (lanes), or undefined for the first lanes. */
  after?: number;
}

export interface ClusterPlan {
  indices: PlannedIndex[];
  skipped: SkippedIndex[];
  /** Override names that matched no listed index (a typo, or an index that is not open). */
  unusedOverrides: string[];
  totalDocs: number;
}

/** Which IndexMigrations a ClusterMigration declares, from the source's list. Pure. */
export function planClusterMigration(
  list: SourceIndexList,
  args: Pick<ClusterMigrationArgs, "defaults" | "overrides" | "concurrency" | "destIndexName">,
): ClusterPlan {
  const concurrency = args.concurrency ?? 2;
  const overrides = args.overrides ?? {};
  const indices: PlannedIndex[] = list.indices.map((src, k) => {
    const override = overrides[src.name] ?? {};
    const destIndex =
      (override.destIndex as string | undefined) ?? (args.destIndexName ? args.destIndexName(src.name) : src.name);
    const problems = nameProblems(destIndex, `destination name of "${src.name}"`);
    if (problems.length > 0) throw new Error(problems.join("; "));
    const planned: PlannedIndex = {
      index: src.name,
      destIndex,
      docs: src.docs,
      options: { ...(args.defaults ?? {}), ...override, destIndex },
    };
    if (k >= concurrency) planned.after = k - concurrency;
    return planned;
  });
  const dests = new Map<string, string>();
  for (const p of indices) {
    const other = dests.get(p.destIndex);
    if (other !== undefined)
      throw new Error(
        `source indices "${other}" and "${p.index}" would both go to destination index "${p.destIndex}": give one of them another destIndex in overrides`,
      );
    dests.set(p.destIndex, p.index);
  }
  const skipped: SkippedIndex[] = [
    ...list.skippedSystem.map((index) => ({ index, reason: "system" as const })),
    ...list.skippedClosed.map((index) => ({ index, reason: "closed" as const })),
  ];
  const listed = new Set(list.indices.map((i) => i.name));
  return {
    indices,
    skipped,
    unusedOverrides: Object.keys(overrides)
      .filter((n) => !listed.has(n))
      .sort(),
    totalDocs: indices.reduce((s, i) => s + i.docs, 0),
  };
}

/**
 * The line preview and up print for a ClusterMigration's plan: the indices with their top-level documents at the
 * source, then what waits as far as the component can tell: `existing` names the destination indices there already
 * (undefined when the destination could not be asked). A new index waits in full; an existing one's own diff says
 * what waits there (nothing when it is up to date), so this line never claims the source's size would move.
 */
export function describePlan(name: string, plan: ClusterPlan, existing?: ReadonlySet<string>): string {
  const n = plan.indices.length;
  const fmt = (x: number) => x.toLocaleString("en-US");
  const docs = (x: number) => `${fmt(x)} ${x === 1 ? "document" : "documents"}`;
  const list = plan.indices
    .map((i) => `${i.index}${i.destIndex !== i.index ? ` -> ${i.destIndex}` : ""} (${fmt(i.docs)})`)
    .join(", ");
  const skipped =
    plan.skipped.length > 0
      ? `; skipped: ${plan.skipped.map((s) => `${s.index} (${s.reason === "system" ? "system index" : "closed"})`).join(", ")}`
      : "";
  return `ClusterMigration "${name}": ${n} ${n === 1 ? "index" : "indices"}, ${docs(plan.totalDocs)} at the source${n > 0 ? `: ${list}` : ""}${n > 0 ? `; ${describeWaiting(plan, existing)}` : ""}${skipped}`;
}

/** What waits, by what the destination holds: the new indices in full, the existing ones by their own diffs. */
function describeWaiting(plan: ClusterPlan, existing: ReadonlySet<string> | undefined): string {
  const fmt = (x: number) => x.toLocaleString("en-US");
  const perIndex = "each index's own line says what its copy moves (nothing when up to date)";
  if (existing === undefined) return `the destination's indices are not known yet: ${perIndex}`;
  const fresh = plan.indices.filter((i) => !existing.has(i.destIndex));
  const there = plan.indices.filter((i) => existing.has(i.destIndex));
  const freshDocs = fresh.reduce((s, i) => s + i.docs, 0);
  if (there.length === 0)
    return `all new at the destination: ${fmt(freshDocs)} ${freshDocs === 1 ? "document" : "documents"} to copy`;
  const thereText = `${there.length === plan.indices.length ? "all" : there.map((i) => i.destIndex).join(", ")} already at the destination: ${perIndex}`;
  if (fresh.length === 0) return thereText;
  return `new at the destination: ${fresh.map((i) => i.destIndex).join(", ")} (${fmt(freshDocs)} ${freshDocs === 1 ? "document" : "documents"} to copy); ${thereText}`;
}

const TARGET_OPTIONS = ["settings", "mappings", "loadSettings", "deletionProtection", "adoptExisting"] as const;
const FINISH_OPTIONS = ["finalSettings", "alias"] as const;

/**
 * One index's options in MigratedIndex's groups (few top-level properties: each costs output promises at every
 * registration): the destination index's, the copy's and the finish's. Undefined options are left out. Pure.
 */
export function groupOptions(o: IndexMigrationOverride): {
  target: Record<string, unknown>;
  copy: Record<string, unknown>;
  finish: Record<string, unknown>;
} {
  const pick = (keys: readonly string[]) =>
    Object.fromEntries(
      keys
        .filter((k) => (o as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, (o as Record<string, unknown>)[k]]),
    );
  return { target: pick(TARGET_OPTIONS), copy: pick(COPY_OPTION_FIELDS), finish: pick(FINISH_OPTIONS) };
}
