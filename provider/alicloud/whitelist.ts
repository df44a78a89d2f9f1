// The `reindex.remote.whitelist` entry of an Alibaba Cloud Elasticsearch instance's YML: read as the engine reads it,
// merged without losing other keys or entries. Used by the whitelist provider and by the components' planning.

/** The YML key Alibaba Cloud Elasticsearch reads the remote-reindex allow list from. */
export const WHITELIST_KEY = "reindex.remote.whitelist";

/**
 * Reads a whitelist value as the instance YML holds it, with a YAML parser, the way the engine reads its YML: the
 * flow list of Alibaba's guide (`["10.0.1.1:9200","10.0.1.2:9200"]`), a block list (`- 10.0.1.1:9200`), a quoted
 * string, or a plain comma-separated string (`10.0.1.1:9200,10.0.1.2:9200`), which the engine splits on commas.
 * An array (a value already parsed) is taken as it is. Throws, naming the setting, on a value that is not YAML.
 */
export function splitWhitelist(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  let parsed: unknown = value;
  if (typeof value === "string") {
    const text = value.trim();
    // A plain value starting with `*` (a wildcard entry) would read as a YAML alias: it can only be the comma form.
    if (text.startsWith("*")) parsed = text;
    else {
      try {
        // Required here, not at the top: the whitelist provider is serialized with this module, and a captured
        // `yaml` module object would be serialized by its internal file paths, which its package does not export.
        const { parse } = require("yaml") as typeof import("yaml");
        parsed = parse(text);
      } catch (err) {
        throw new Error(
          `${WHITELIST_KEY} in the instance YML is not a list the engine could read (${(err as Error).message.split("\n")[0]}): fix it in the console (YML configuration) first`,
        );
      }
    }
  }
  const items = Array.isArray(parsed) ? parsed : parsed === null ? [] : [parsed];
  return items
    .flatMap((item) => String(item).split(","))
    .map((e) => e.trim())
    .filter((e) => e !== "");
}

/**
 * Merges whitelist entries into an instance's YML settings (`alicloud.elasticsearch.Instance.settingConfig`):
 * keeps every other key, keeps existing entries first, appends new ones, removes duplicates and, optionally, the
 * entries in `remove`. The value is a comma-separated string, the form the map's string values allow.
 */
export function mergeReindexWhitelist(
  existingSettingConfig: Record<string, unknown> | undefined,
  entries: string[],
  remove: string[] = [],
): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries(existingSettingConfig ?? {})) {
    if (k !== WHITELIST_KEY && v !== undefined && v !== null) merged[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  const dropped = new Set(remove);
  const list = [
    ...new Set([...splitWhitelist(existingSettingConfig?.[WHITELIST_KEY]), ...entries.map((e) => e.trim())]),
  ].filter((e) => e !== "" && !dropped.has(e));
  if (list.length > 0) merged[WHITELIST_KEY] = list.join(",");
  return merged;
}
