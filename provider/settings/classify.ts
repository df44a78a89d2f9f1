// What a change of index settings does to an existing index: dynamic settings are updated in place with
// PUT _settings, anything else (static, or not known to be dynamic) needs a new index. Read-only settings are
// the engine's own bookkeeping and never count as a change.
import { type FlatSettings, type SettingValue, sameValue } from "./normalize";
import { settingKind } from "./rules";

/** One setting that differs, with what it does. */
export interface SettingChange {
  key: string;
  from: SettingValue | undefined;
  to: SettingValue | undefined;
  reason: string;
}

export interface SettingChangeClass {
  /** Dynamic settings: applied with PUT /<index>/_settings (a removed one is reset to its default with null). */
  update: SettingChange[];
  /** Static or unknown settings: the index must be created again. */
  replace: SettingChange[];
}

const show = (v: SettingValue | undefined): string =>
  v === undefined ? "unset" : v === null ? "default" : JSON.stringify(v);

/** Classifies the change from settings `old` to `next` (both canonical, see normalizeSettings). */
export function classifySettingChange(old: FlatSettings, next: FlatSettings): SettingChangeClass {
  const out: SettingChangeClass = { update: [], replace: [] };
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])].sort();
  for (const key of keys) {
    const from = old[key];
    const to = next[key];
    if (sameValue(from, to)) continue;
    const kind = settingKind(key);
    if (kind === "read-only") continue;
    const what = `${key} changes from ${show(from)} to ${show(to)}`;
    if (kind === "dynamic") out.update.push({ key, from, to, reason: `${what} (dynamic: updated in place)` });
    else if (kind === "static")
      out.replace.push({ key, from, to, reason: `${what} (static: set only when the index is created)` });
    else
      out.replace.push({ key, from, to, reason: `${what} (not known to be dynamic, so the index is created again)` });
  }
  return out;
}
