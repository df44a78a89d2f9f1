// Index settings a run changes for a while (a repair's `index.gc_deletes: 0s`, ./repair) and must put back. The
// value to put back is written into the index's mapping `_meta`, under our key, before the setting changes, and
// removed once it is back: a provider process killed in between leaves the record, and the next run of a copy into
// that index puts the setting back first (restoreChangedSettings). The state cannot hold it: a killed process
// records nothing there.
import type { Cluster } from "../connection/types";
import { isObject, type JsonObject } from "../shared/json";
import { META_KEY } from "../shared/live-destination";

/** The field of our `_meta` key that lists the settings to put back, with the values to put back (null: unset). */
const CHANGED_SETTINGS = "settingsToRestore";

type SettingValues = Record<string, unknown>;

const mappingPath = (index: string) => `/${encodeURIComponent(index)}/_mapping`;

/** The settings to put back recorded in a mapping (typeless, or a 6.x mapping's one type), else undefined. Pure. */
export function changedSettingsOf(mappings: unknown): SettingValues | undefined {
  if (!isObject(mappings)) return undefined;
  const ours = isObject(mappings._meta) ? mappings._meta[META_KEY] : undefined;
  if (isObject(ours) && isObject(ours[CHANGED_SETTINGS])) return ours[CHANGED_SETTINGS];
  for (const typed of Object.values(mappings)) {
    const found = isObject(typed) && isObject(typed._meta) ? changedSettingsOf(typed) : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The index's mapping root (a 6.x index: its one type), its `_meta`, and where to PUT a change of it. */
async function readMeta(dest: Cluster, index: string): Promise<{ meta: JsonObject; path: string } | undefined> {
  const res = await dest.request<Record<string, { mappings?: JsonObject }> | undefined>({
    method: "GET",
    path: mappingPath(index),
    ignore: [404],
    idempotent: true,
  });
  const mappings = Object.values(res ?? {})[0]?.mappings;
  if (mappings === undefined) return undefined;
  const typeName =
    "properties" in mappings || "_meta" in mappings || Object.keys(mappings).length === 0
      ? undefined
      : Object.keys(mappings).find((t) => t !== "_default_");
  const root = typeName === undefined ? mappings : mappings[typeName];
  return {
    meta: isObject(root) && isObject(root._meta) ? root._meta : {},
    path: typeName === undefined ? mappingPath(index) : `${mappingPath(index)}/${encodeURIComponent(typeName)}`,
  };
}

/** Writes `values` as the settings to put back (undefined: none), the other `_meta` keys and our other fields kept. */
async function writeChanged(
  dest: Cluster,
  found: { meta: JsonObject; path: string },
  values: SettingValues | undefined,
): Promise<void> {
  const { [CHANGED_SETTINGS]: _old, ...rest } = isObject(found.meta[META_KEY]) ? found.meta[META_KEY] : {};
  const ours = values === undefined ? rest : { ...rest, [CHANGED_SETTINGS]: values };
  const { [META_KEY]: _ours, ...others } = found.meta;
  await dest.request({
    method: "PUT",
    path: found.path,
    // A `_meta` update replaces the whole object: every key is sent again (ours left out when nothing is left in it).
    body: { _meta: Object.keys(ours).length > 0 ? { ...others, [META_KEY]: ours } : others },
    idempotent: true,
  });
}

/**
 * Changes settings of `index` to `values` for a while, recording what to put back first. A setting already recorded
 * (a killed run changed it and nothing put it back yet) keeps its recorded value: the index's value now is the
 * killed run's.
 */
export async function changeSettingsForAWhile(dest: Cluster, index: string, values: SettingValues): Promise<void> {
  const keys = Object.keys(values);
  const res = await dest.request<Record<string, { settings?: Record<string, unknown> }>>({
    method: "GET",
    path: `/${encodeURIComponent(index)}/_settings/${keys.map(encodeURIComponent).join(",")}`,
    querystring: { flat_settings: true },
    idempotent: true,
  });
  const now = Object.values(res ?? {})[0]?.settings ?? {};
  const found = await readMeta(dest, index);
  if (found === undefined) throw new Error(`index ${index} does not exist`);
  const ours = found.meta[META_KEY];
  const recorded: SettingValues = isObject(ours) && isObject(ours[CHANGED_SETTINGS]) ? ours[CHANGED_SETTINGS] : {};
  const previous = Object.fromEntries(keys.map((k) => [k, k in recorded ? recorded[k] : (now[k] ?? null)]));
  await writeChanged(dest, found, { ...recorded, ...previous });
  await dest.request({
    method: "PUT",
    path: `/${encodeURIComponent(index)}/_settings`,
    body: values,
    idempotent: true,
  });
}

/**
 * Puts back the settings recorded in `index`'s `_meta` (changed by changeSettingsForAWhile) and removes the record;
 * returns what it put back (undefined: nothing was recorded, or no such index).
 */
export async function restoreChangedSettings(dest: Cluster, index: string): Promise<SettingValues | undefined> {
  const found = await readMeta(dest, index);
  const values = found === undefined ? undefined : changedSettingsOf({ _meta: found.meta });
  if (found === undefined || values === undefined) return undefined;
  if (Object.keys(values).length > 0)
    await dest.request({
      method: "PUT",
      path: `/${encodeURIComponent(index)}/_settings`,
      body: values,
      idempotent: true,
    });
  await writeChanged(dest, found, undefined);
  return values;
}
