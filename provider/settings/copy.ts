// What `copyFrom` takes from a source index's settings: everything the user chose (shards, analysis, dynamic
// tuning), minus what the engine wrote itself and what must not follow the data (see rules.ts), adapted to the
// destination's engine and version. Every setting left out is reported with its reason.
import type { ClusterInfo } from "../connection/types";
import { type FlatSettings, normalizeSettings, sortKeys } from "./normalize";
import { flavorOnly, notCopiedReason, settingKind } from "./rules";

/** A source setting that was not copied, and why. */
export interface DroppedSetting {
  key: string;
  value: FlatSettings[string];
  reason: string;
}

export interface CopiedSettings {
  /** Canonical settings to create the destination with (before the load settings are applied). */
  settings: FlatSettings;
  /** Source settings left out on purpose, read-only bookkeeping excluded (it is never copied, silently). */
  dropped: DroppedSetting[];
}

const ANALYZER_FILTERS = /^index\.analysis\.analyzer\.[^.]+\.filter$/;

/**
 * The settings of a destination index copied from `sourceSettings` (the `settings` of
 * `GET /<index>/_settings`, nested or flat), for a source running `sourceInfo` and a destination running `destInfo`.
 */
export function settingsFromSource(
  sourceSettings: Record<string, unknown>,
  sourceInfo: ClusterInfo,
  destInfo: ClusterInfo,
): CopiedSettings {
  const flat = normalizeSettings(sourceSettings);
  const settings: FlatSettings = {};
  const dropped: DroppedSetting[] = [];
  for (const [key, value] of Object.entries(flat)) {
    if (settingKind(key) === "read-only") continue;
    const reason = notCopiedReason(key);
    if (reason !== undefined) {
      dropped.push({ key, value, reason });
      continue;
    }
    const only = flavorOnly(key);
    if (only !== undefined && only !== destInfo.flavor) {
      dropped.push({
        key,
        value,
        reason: `only ${only === "opensearch" ? "OpenSearch" : "Elasticsearch"} knows this setting; the destination is ${describe(destInfo)}`,
      });
      continue;
    }
    if (key === "index.soft_deletes.enabled" && value === "false" && refusesSoftDeletesOff(destInfo)) {
      dropped.push({
        key,
        value,
        reason: `${describe(destInfo)} no longer creates indices with soft deletes disabled`,
      });
      continue;
    }
    if (
      ANALYZER_FILTERS.test(key) &&
      sourceInfo.flavor === "elasticsearch" &&
      sourceInfo.major < 7 &&
      typeless(destInfo)
    ) {
      // The `standard` token filter did nothing since 5.x and was removed in 7.0 (and OpenSearch): an analyzer
      // that lists it fails to build.
      const filters = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
      if (filters.includes("standard")) {
        dropped.push({
          key: `${key}[standard]`,
          value: "standard",
          reason: "the `standard` token filter was a no-op and is gone in Elasticsearch 7+ and OpenSearch",
        });
        settings[key] = filters.filter((f) => f !== "standard");
        continue;
      }
    }
    settings[key] = value;
  }
  return { settings: sortKeys(settings), dropped };
}

/** True for engines without mapping types: Elasticsearch 7+ and every OpenSearch. */
export function typeless(info: ClusterInfo): boolean {
  return info.flavor === "opensearch" || info.major >= 7;
}

function refusesSoftDeletesOff(info: ClusterInfo): boolean {
  return info.flavor === "opensearch" ? info.major >= 2 : info.major >= 8;
}

/** "Elasticsearch 7.10.2" / "OpenSearch 2.19.1". */
export function describe(info: ClusterInfo): string {
  return `${info.flavor === "opensearch" ? "OpenSearch" : "Elasticsearch"} ${info.version}`;
}
