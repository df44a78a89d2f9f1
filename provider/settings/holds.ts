// Settings a copy holds at another value while it loads an index, and the finish restores: the ingest pipelines an
// index names (`index.default_pipeline`, `index.final_pipeline`) processed its documents once, at the source; running
// them again at the destination would process them twice (or fail, where the pipeline is not there yet). Pure.
import type { FlatSettings } from "./normalize";

/** Each held setting and its load-time value ("_none": no pipeline runs). */
export const HELD_DURING_LOAD: Readonly<Record<string, string>> = {
  "index.default_pipeline": "_none",
  "index.final_pipeline": "_none",
};

/** True when `value` names an ingest pipeline (not unset, reset or `_none`). */
export function namesPipeline(value: FlatSettings[string] | undefined): value is string {
  return typeof value === "string" && value !== "" && value !== "_none";
}

/** The load-time values of the held settings that `settings` (an index's effective settings) sets to a pipeline. */
export function loadHolds(settings: FlatSettings): FlatSettings {
  const out: FlatSettings = {};
  for (const [key, held] of Object.entries(HELD_DURING_LOAD)) if (namesPipeline(settings[key])) out[key] = held;
  return out;
}

/** The ingest pipelines `settings` names, by setting (for the finish's check that they exist, and the preview). */
export function namedPipelines(settings: FlatSettings): { key: string; pipeline: string }[] {
  return Object.keys(HELD_DURING_LOAD).flatMap((key) => {
    const value = settings[key];
    return namesPipeline(value) ? [{ key, pipeline: value }] : [];
  });
}
