// One canonical form for index settings, whatever way they were written: flat keys with the `index.` prefix and
// string values, as `GET /<index>/_settings?flat_settings=true` answers. `{ number_of_shards: 3 }`,
// `{ index: { number_of_shards: "3" } }` and `{ "index.number_of_shards": 3 }` all become
// `{ "index.number_of_shards": "3" }`, so comparing declared, copied and live settings is a plain key-by-key compare.

/** A setting value in canonical form: a string, a list of strings, or null (reset to the engine default). */
export type SettingValue = string | string[] | null;
/** Settings in canonical form. */
export type FlatSettings = Record<string, SettingValue>;

/** A settings object that cannot be put in canonical form; `key` is the offending setting. */
export class SettingsShapeError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = "SettingsShapeError";
  }
}

function scalar(key: string, v: unknown): string | null {
  if (v === null) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  const name = fullSettingName(key);
  throw new SettingsShapeError(
    name,
    `setting "${name}" has a value of type ${typeof v}: use a string, number or boolean`,
  );
}

/** `key` with the `index.` prefix the engines report. */
export function fullSettingName(key: string): string {
  return key.startsWith("index.") ? key : `index.${key}`;
}

/**
 * Flattens nested settings to canonical form. Throws SettingsShapeError for values that are not settings
 * (nested arrays, arrays of objects) and for a setting given twice (e.g. `number_of_shards` and
 * `index.number_of_shards`).
 */
export function normalizeSettings(settings: Record<string, unknown> | undefined): FlatSettings {
  const out: FlatSettings = {};
  const put = (key: string, value: SettingValue) => {
    const name = fullSettingName(key);
    if (Object.prototype.hasOwnProperty.call(out, name)) {
      throw new SettingsShapeError(
        name,
        `setting "${name}" is given twice (e.g. as "${name.slice(6)}" and "${name}"): keep one`,
      );
    }
    out[name] = value;
  };
  const walk = (prefix: string, value: unknown) => {
    if (Array.isArray(value)) {
      put(
        prefix,
        value.map((v, i) => {
          const s = scalar(`${prefix}[${i}]`, v);
          if (s === null)
            throw new SettingsShapeError(
              fullSettingName(prefix),
              `setting "${fullSettingName(prefix)}" has a null in its list: remove it`,
            );
          return s;
        }),
      );
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0 && prefix !== "") put(prefix, null);
      for (const [k, v] of entries) walk(prefix === "" ? k : `${prefix}.${k}`, v);
    } else if (prefix !== "") {
      put(prefix, scalar(prefix, value));
    }
  };
  if (settings !== undefined) walk("", settings);
  return sortKeys(out);
}

/** The same settings with keys in a stable order (state files and diffs stay readable). */
export function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Equal setting values: lists compare element by element, order included (sort fields are ordered). */
export function sameValue(a: SettingValue | undefined, b: SettingValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  // A one-element list and its single value mean the same to the engines.
  if (Array.isArray(a) && typeof b === "string") return a.length === 1 && a[0] === b;
  if (Array.isArray(b) && typeof a === "string") return b.length === 1 && b[0] === a;
  return a === b;
}

/** `base` with `over` laid on top (an explicit setting wins over a copied one). */
export function overlaySettings(base: FlatSettings, over: FlatSettings): FlatSettings {
  return sortKeys({ ...base, ...over });
}
