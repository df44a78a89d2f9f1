// check(): validates MigrationFinish's inputs and normalizes them; every problem names its field and the fix. The
// fields, their types and defaults are the schema's (./schema); the rules here say what each value needs. Values
// Pulumi does not know yet (preview) pass as they are.
import { checkConnection, containsUnknown, isUnknown } from "../connection";
import { indexNameProblems } from "../destination-index/validate";
import { type FlatSettings, SettingsShapeError, normalizeSettings, settingKind } from "../settings";
import { phaseProblem, type Phase } from "../shared/live-destination";
import type { Problem } from "../shared/problems";
import { FINISH_FIELDS, migrationFinishInputsSchema, type MigrationFinishInputs } from "./schema";
import { FINISH_OUTPUT_ONLY } from "./types";

const FIELDS: readonly string[] = FINISH_FIELDS;
// The default the schema declares (and the reference documents).
const DEFAULT_REFRESH = migrationFinishInputsSchema.shape.refresh.parse(undefined);
// Output names the resource seeds as undefined (Pulumi passes them along with the inputs).
const OUTPUT_ONLY: readonly string[] = [...FINISH_OUTPUT_ONLY, "__provider"];

const plainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function finalSettingsOf(value: unknown, failures: Problem[]): FlatSettings | undefined {
  if (value === undefined) {
    failures.push({
      property: "finalSettings",
      reason:
        'finalSettings is required: the settings to restore after the load, e.g. DestinationIndex.finalSettings or { number_of_replicas: 1, refresh_interval: "1s" }',
    });
    return undefined;
  }
  if (containsUnknown(value)) return value as FlatSettings;
  if (!plainObject(value)) {
    failures.push({
      property: "finalSettings",
      reason: 'finalSettings must be an object of settings, e.g. { number_of_replicas: 1, refresh_interval: "1s" }',
    });
    return undefined;
  }
  try {
    const flat = normalizeSettings(value);
    for (const key of Object.keys(flat)) {
      if (settingKind(key) !== "dynamic") {
        failures.push({
          property: "finalSettings",
          reason: `finalSettings: "${key}" is not a dynamic setting, so it cannot be applied to an existing index: put it in the DestinationIndex's settings`,
        });
      }
    }
    return flat;
  } catch (e) {
    if (e instanceof SettingsShapeError) {
      failures.push({ property: "finalSettings", reason: `finalSettings: ${e.message}` });
      return undefined;
    }
    throw e;
  }
}

/** Validates and normalizes raw inputs. `inputs` is complete only when `failures` is empty. */
export function checkFinishInputs(news: Record<string, unknown>): {
  inputs: MigrationFinishInputs;
  failures: Problem[];
} {
  const failures: Problem[] = [];
  const unknownFields = Object.keys(news).filter((k) => !FIELDS.includes(k) && !OUTPUT_ONLY.includes(k));
  if (unknownFields.length > 0)
    failures.push({
      property: unknownFields[0],
      reason: `unknown field(s) ${unknownFields.join(", ")}: MigrationFinish takes ${FIELDS.join(", ")}`,
    });

  let cluster: MigrationFinishInputs["cluster"] | undefined;
  if (news.cluster === undefined)
    failures.push({
      property: "cluster",
      reason:
        'cluster is required: how to reach the destination, e.g. { url: "http://10.0.0.6:9200", username, password }',
    });
  else {
    const checked = checkConnection(news.cluster, "cluster");
    cluster = checked.connection;
    for (const p of checked.problems) failures.push({ property: "cluster", reason: p.reason });
  }

  const index = news.index;
  if (typeof index !== "string")
    failures.push({
      property: "index",
      reason: 'index is required: the destination index the data was copied into, e.g. "logs-2024"',
    });
  else if (!isUnknown(index))
    for (const p of indexNameProblems(index, "index")) failures.push({ property: "index", reason: p });

  const finalSettings = finalSettingsOf(news.finalSettings, failures);

  const alias = news.alias;
  if (alias !== undefined && !isUnknown(alias)) {
    if (typeof alias !== "string")
      failures.push({ property: "alias", reason: 'alias must be a string, the alias readers use, e.g. "logs"' });
    else {
      for (const p of indexNameProblems(alias, "alias")) failures.push({ property: "alias", reason: p });
      if (alias === index)
        failures.push({
          property: "alias",
          reason: `alias "${alias}" is the index's own name: an alias needs another name than the index`,
        });
    }
  }

  if (news.refresh !== undefined && typeof news.refresh !== "boolean" && !isUnknown(news.refresh)) {
    failures.push({ property: "refresh", reason: "refresh must be true or false" });
  }

  let verify: MigrationFinishInputs["verify"];
  const v = news.verify;
  if (v !== undefined && v !== null && !containsUnknown(v)) {
    const count = plainObject(v) ? v.sourceCount : undefined;
    const wholeCount = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x >= 0;
    if (
      !plainObject(v) ||
      (count !== undefined && !wholeCount(count)) ||
      (v.extra !== undefined && !wholeCount(v.extra)) ||
      (v.query !== undefined && !plainObject(v.query))
    ) {
      failures.push({
        property: "verify",
        reason:
          "verify must be { sourceCount, query?, extra? }, e.g. { sourceCount: reindex.verification.sourceCount, extra: reindex.verification.extraKept }",
      });
    } else if (count !== undefined) {
      verify = { sourceCount: count as number };
      if (v.query !== undefined) verify.query = v.query as Record<string, unknown>;
      if (v.extra !== undefined) verify.extra = v.extra as number;
    }
  } else if (containsUnknown(v)) verify = v as MigrationFinishInputs["verify"];

  const inputs: MigrationFinishInputs = {
    cluster: cluster as MigrationFinishInputs["cluster"],
    index: index as string,
    finalSettings: finalSettings as FlatSettings,
    refresh: (news.refresh ?? DEFAULT_REFRESH) as boolean,
  };
  if (typeof alias === "string") inputs.alias = alias;
  if (verify !== undefined) inputs.verify = verify;
  if (news.trigger !== undefined) inputs.trigger = news.trigger;
  const phase = isUnknown(news.phase) ? undefined : phaseProblem(news.phase);
  if (phase !== undefined) failures.push({ property: "phase", reason: phase });
  else if (news.phase !== undefined) inputs.phase = news.phase as Phase;
  return { inputs, failures };
}
