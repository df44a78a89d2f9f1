// Pure decisions of the DestinationIndex provider: the effective settings and mappings, what the load settings
// hide and what must be restored, whether a change updates or replaces (and why), the alias actions.
import { isUnknown, containsUnknown } from "../connection";
import {
  ENGINE_DEFAULTS,
  type FlatSettings,
  type Mapping,
  classifyMappingChange,
  classifySettingChange,
  loadHolds,
  overlayMappings,
  overlaySettings,
  sameValue,
  sortKeys,
  stableJson,
} from "../settings";
import type { AliasOptions, CopiedSnapshot, DestinationIndexInputs, DestinationIndexOutputs } from "./types";

/** Effective settings and mappings: what was copied, with the engine's own choices under and declared values over it. */
export function effectiveState(
  inputs: Pick<DestinationIndexInputs, "settings" | "mappings">,
  copied: CopiedSnapshot | undefined,
  engineSettings: FlatSettings = {},
): { settings: FlatSettings; mappings: Mapping } {
  const settings = overlaySettings(overlaySettings(engineSettings, copied?.settings ?? {}), inputs.settings ?? {});
  const mappings = overlayMappings(copied?.mappings ?? {}, inputs.mappings ?? {});
  return { settings, mappings };
}

/**
 * The load settings as they must apply to an index with these settings: an `auto_expand_replicas` (copied from the
 * source, say "0-1") would undo a load-time `number_of_replicas`, so it is held back ("false") during the load and
 * restored with the final settings; the ingest pipelines the index names are held at "_none" (the documents were
 * processed once, at the source) unless loadSettings names them itself.
 */
export function heldBackLoadSettings(settings: FlatSettings, loadSettings: FlatSettings): FlatSettings {
  const AUTO = "index.auto_expand_replicas";
  const held = sortKeys({ ...loadHolds(settings), ...loadSettings });
  const expands = settings[AUTO] !== undefined && settings[AUTO] !== null && String(settings[AUTO]) !== "false";
  if (held["index.number_of_replicas"] === undefined || held[AUTO] !== undefined || !expands) return held;
  return sortKeys({ ...held, [AUTO]: "false" });
}

/** For each load setting, the value to restore after the load: the effective one, else the engine default (null: reset). */
export function finalSettingsOf(settings: FlatSettings, loadSettings: FlatSettings): FlatSettings {
  const out: FlatSettings = {};
  for (const key of Object.keys(heldBackLoadSettings(settings, loadSettings)))
    out[key] = settings[key] !== undefined ? settings[key] : (ENGINE_DEFAULTS[key] ?? null);
  return sortKeys(out);
}

/** Settings to create the index with: effective ones with the load settings (auto-expansion held back) on top. */
export function createSettings(settings: FlatSettings, loadSettings: FlatSettings): FlatSettings {
  return overlaySettings(settings, heldBackLoadSettings(settings, loadSettings));
}

/** True when a live value is the load-time value: the index is (still) loading and the key is not drift. */
export function isLoading(key: string, live: FlatSettings, loadSettings: FlatSettings): boolean {
  return loadSettings[key] !== undefined && sameValue(live[key], loadSettings[key]);
}

/**
 * What `refresh` reports for the recorded settings: each recorded key as it is live, except load settings
 * still at their load value (the migration restores them) and keys the engine does not echo.
 */
export function reportedSettings(recorded: FlatSettings, live: FlatSettings, loadSettings: FlatSettings): FlatSettings {
  const out: FlatSettings = {};
  for (const [key, value] of Object.entries(recorded)) {
    if (isLoading(key, live, loadSettings)) out[key] = value;
    else if (live[key] !== undefined) out[key] = live[key];
    // A declared value equal to the default may be absent live (e.g. reset): that is drift only if it differs.
    else if (ENGINE_DEFAULTS[key] !== undefined) out[key] = ENGINE_DEFAULTS[key];
  }
  return sortKeys(out);
}

export interface DiffPlan {
  changes: boolean;
  /** Top-level properties whose change replaces the index. */
  replaces: string[];
  /** Why the index would be replaced, one sentence per cause. */
  replaceReasons: string[];
  /** What is updated in place. */
  updateReasons: string[];
  /** Something could not be decided because an input is not known yet (preview). */
  undecided: string[];
}

const aliasesEqual = (a: Record<string, AliasOptions> | undefined, b: Record<string, AliasOptions> | undefined) =>
  stableJson(a ?? {}) === stableJson(b ?? {});

/**
 * Compares the recorded state `olds` with new inputs `news`; `copied` is what copyFrom gives now (the recorded
 * snapshot unless copyFrom moved), undefined when it cannot be known yet.
 */
export function planDiff(
  olds: DestinationIndexOutputs,
  news: DestinationIndexInputs,
  copied: CopiedSnapshot | undefined | "unknown",
): DiffPlan {
  const plan: DiffPlan = { changes: false, replaces: [], replaceReasons: [], updateReasons: [], undecided: [] };
  const replace = (prop: string, reason: string) => {
    if (!plan.replaces.includes(prop)) plan.replaces.push(prop);
    plan.replaceReasons.push(reason);
  };

  if (isUnknown(news.index)) plan.undecided.push("index");
  else if (news.index !== olds.index) replace("index", `index name changes from "${olds.index}" to "${news.index}"`);

  // Unknown at preview, the cluster may be a placeholder string rather than a connection.
  const newUrl = (news.cluster as Partial<DestinationIndexInputs["cluster"]> | undefined)?.url;
  if (isUnknown(news.cluster) || isUnknown(newUrl)) plan.undecided.push("cluster");
  else if (newUrl !== olds.cluster.url)
    replace("cluster", `destination cluster changes from ${olds.cluster.url} to ${newUrl}`);
  else if (stableJson(news.cluster) !== stableJson(olds.cluster))
    plan.updateReasons.push("destination connection options (credentials, TLS, headers) change");

  if (copied === "unknown" || containsUnknown(news.settings) || containsUnknown(news.mappings)) {
    plan.undecided.push("settings/mappings");
  } else {
    const next = effectiveState(news, copied, olds.engineSettings);
    const s = classifySettingChange(olds.settings, next.settings);
    for (const c of s.replace) replace("settings", c.reason);
    for (const c of s.update) plan.updateReasons.push(c.reason);
    const m = classifyMappingChange(olds.mappings, next.mappings);
    for (const c of m.replace) replace("mappings", c.reason);
    for (const c of m.update) plan.updateReasons.push(c.reason);
  }

  if (containsUnknown(news.aliases)) plan.undecided.push("aliases");
  else if (!aliasesEqual(olds.aliases, news.aliases)) plan.updateReasons.push("aliases change");

  if (containsUnknown(news.loadSettings)) plan.undecided.push("loadSettings");
  else if (stableJson(news.loadSettings) !== stableJson(olds.loadSettings))
    plan.updateReasons.push("loadSettings change");
  if (news.deletionProtection !== olds.deletionProtection)
    plan.updateReasons.push(`deletionProtection changes to ${news.deletionProtection}`);
  if (news.adoptExisting !== olds.adoptExisting) plan.updateReasons.push("adoptExisting changes");
  if (stableJson(news.copyFrom ?? null) !== stableJson(olds.copyFrom ?? null))
    plan.updateReasons.push("copyFrom changes");

  plan.changes = plan.replaces.length > 0 || plan.updateReasons.length > 0 || plan.undecided.length > 0;
  return plan;
}

/** Actions for POST /_aliases that turn `old` aliases of `index` into `next`. */
export function aliasActions(
  index: string,
  old: Record<string, AliasOptions> | undefined,
  next: Record<string, AliasOptions> | undefined,
): object[] {
  const actions: object[] = [];
  const o = old ?? {};
  const n = next ?? {};
  for (const name of Object.keys(o)) if (!(name in n)) actions.push({ remove: { index, alias: name } });
  for (const [name, opts] of Object.entries(n)) {
    if (!(name in o) || stableJson(o[name]) !== stableJson(opts))
      actions.push({ add: { index, alias: name, ...opts } });
  }
  return actions;
}

/**
 * The live aliases `refresh` reports: only the declared names. An alias added by someone else (e.g. a migration's
 * cutover moving "logs" onto this index) is not this resource's drift, and reporting it would make the next
 * `pulumi up` remove it.
 */
export function reportedAliases(
  declared: Record<string, AliasOptions> | undefined,
  live: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, opts] of Object.entries(live)) if (declared?.[name] !== undefined) out[name] = opts;
  return out;
}

/** The same copyFrom source (URL and index) as recorded: the snapshot still applies. */
export function sameSource(a: DestinationIndexInputs["copyFrom"], b: DestinationIndexInputs["copyFrom"]): boolean {
  return a !== undefined && b !== undefined && a.cluster.url === b.cluster.url && a.index === b.index;
}
