// Pure decisions of MigrationFinish: the live view of the final settings, what counts as drift, the alias
// actions of a cutover, and whether the counts verify.
import {
  ENGINE_DEFAULTS,
  type FlatSettings,
  type SettingValue,
  namedPipelines,
  sameValue,
  sortKeys,
} from "../settings";

/** A value as the engine applies it: null (reset) and absent both mean the engine default. */
function effective(key: string, value: SettingValue | undefined): SettingValue {
  return value === undefined || value === null ? (ENGINE_DEFAULTS[key] ?? null) : value;
}

/** The keys of `desired` as they are live (`live`: the index's explicit flat settings). */
export function liveView(desired: FlatSettings, live: FlatSettings): FlatSettings {
  const out: FlatSettings = {};
  for (const key of Object.keys(desired)) out[key] = effective(key, live[key]);
  return sortKeys(out);
}

/** Keys whose live value (from `liveView`) is not the desired one, as "key is X, declared Y" sentences. */
export function settingsDrift(desired: FlatSettings, live: FlatSettings | undefined): string[] {
  const out: string[] = [];
  for (const key of Object.keys(desired)) {
    const want = effective(key, desired[key]);
    const have = effective(key, live?.[key]);
    if (!sameValue(want, have)) out.push(`${key} is ${JSON.stringify(have)}, declared ${JSON.stringify(want)}`);
  }
  return out;
}

/** Who holds an alias now: index name to the alias's options there (`GET /_alias/<alias>`). */
export type AliasHolders = Record<string, { is_write_index?: boolean; [k: string]: unknown }>;

/**
 * The `POST _aliases` actions that leave `alias` on `index` only: removed from every other holder and added to
 * `index` (as the write index when a holder had it as one), in one request so readers never see no index or two.
 * Empty when `index` is already the only holder (with the write flag it should have).
 */
export function aliasMoveActions(
  alias: string,
  index: string,
  holders: AliasHolders,
): { actions: object[]; movedFrom: string[] } {
  const others = Object.keys(holders)
    .filter((i) => i !== index)
    .sort();
  const wasWrite = Object.values(holders).some((o) => o.is_write_index === true);
  const hereAlready = holders[index] !== undefined;
  const writeOk = !wasWrite || holders[index]?.is_write_index === true;
  if (others.length === 0 && hereAlready && writeOk) return { actions: [], movedFrom: [] };
  const actions: object[] = others.map((i) => ({ remove: { index: i, alias } }));
  actions.push({ add: { index, alias, ...(wasWrite ? { is_write_index: true } : {}) } });
  return { actions, movedFrom: others };
}

/**
 * The verification outcome: null when no source count was given. `extra`: documents the copy knowingly left at the
 * destination (the source deleted them and the deletes policy keeps them).
 */
export function verification(
  destCount: number,
  sourceCount: number | undefined,
  extra = 0,
): { verified: boolean; problem?: string; note?: string } {
  if (sourceCount === undefined) return { verified: false };
  if (destCount < sourceCount)
    return { verified: false, problem: `the index holds ${destCount} document(s), the source ${sourceCount}` };
  if (destCount > sourceCount + extra) {
    return {
      verified: true,
      note: `${destCount - sourceCount - extra} more document(s) than the source and the copy's known extras (${extra}): written to the destination since the copy verified`,
    };
  }
  if (extra > 0)
    return {
      verified: true,
      note: `${extra} document(s) the source no longer has are kept (the copy's deletes policy)`,
    };
  return { verified: true };
}

/**
 * Why the finish cannot restore the ingest pipelines `finalSettings` names, given those the destination lacks: one
 * sentence naming each setting, its pipeline and the ways out; undefined when every named pipeline is there.
 */
export function missingPipelineProblem(finalSettings: FlatSettings, missing: ReadonlySet<string>): string | undefined {
  const gone = namedPipelines(finalSettings).filter((p) => missing.has(p.pipeline));
  if (gone.length === 0) return undefined;
  const named = gone.map((p) => `${p.key} names the ingest pipeline "${p.pipeline}"`).join(", ");
  return (
    `${named}, which the destination does not have: the index keeps "_none" (no pipeline runs on its writes) until it does. ` +
    "Create the pipeline at the destination (ClusterMigration copies the source's pipelines unless objects.pipelines leaves them out; or declare an IngestPipeline), " +
    `or declare the setting yourself (settings: { "${gone[0].key}": "_none" } keeps it off), then run \`pulumi up\` again`
  );
}
