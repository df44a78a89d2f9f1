// check(): what can be known about a SnapshotMigration's inputs without asking the clusters. The fields, their types
// and defaults are the schema's (./schema); every problem names the field and the fix; values Pulumi does not know
// yet (preview) pass as they are. The catch-up's options are checked by Reindex's own validation (the catch-up is a
// Reindex run), its messages renamed to this resource's fields.
import { checkConnection } from "../connection/schema";
import { isUnknown } from "../connection/unknown";
import type { ClusterConnection } from "../connection/types";
import type { ReindexInputs } from "../reindex/types";
import {
  DEFAULT_TIMEOUT_SECONDS,
  isAwsDestination,
  validateInputs as validateReindexInputs,
} from "../reindex/validate";
import { DEFAULT_LOOKBACK } from "../reindex/window";
import { indexNameProblems } from "../shared/index-names";
import { phaseProblem } from "../shared/live-destination";
import { VERIFY_LEVELS, type VerifyLevel } from "../verify";
import { repositoryProblems } from "./repository";
import { SNAPSHOT_MIGRATION_FIELDS, snapshotMigrationInputsSchema, type SnapshotMigrationInputs } from "./schema";
import type { Problem } from "../shared/problems";

const FIELDS: readonly string[] = SNAPSHOT_MIGRATION_FIELDS;
// The defaults the schema declares (and the reference documents).
const DEFAULTS = {
  verify: snapshotMigrationInputsSchema.shape.verify.parse(undefined),
  deletionProtection: snapshotMigrationInputsSchema.shape.deletionProtection.parse(undefined),
};
const known = (v: unknown) => v !== undefined && !isUnknown(v);

function connectionOf(raw: unknown, field: string, add: (p: string, r: string) => void): ClusterConnection {
  const checked = checkConnection(raw, field);
  for (const p of checked.problems)
    add(p.property, p.reason.startsWith(p.property) ? p.reason.slice(p.property.length + 1) : p.reason);
  return checked.connection ?? (raw as ClusterConnection);
}

/** The destination name of a source index under `rename` (the engine's rename_pattern is a Java regex; same syntax here). */
export function renamed(index: string, rename: SnapshotMigrationInputs["rename"]): string {
  if (rename === undefined) return index;
  return index.replace(new RegExp(rename.pattern), rename.replacement);
}

/** Validates and normalizes the raw inputs (defaults filled in). */
export function validateInputs(raw: Record<string, unknown>): {
  inputs: SnapshotMigrationInputs;
  failures: Problem[];
} {
  const failures: Problem[] = [];
  const add = (property: string, reason: string) => failures.push({ property, reason });
  for (const k of Object.keys(raw))
    if (!FIELDS.includes(k) && k !== "__provider")
      add(k, `is not an input of SnapshotMigration: it takes ${FIELDS.join(", ")}`);
  const source = connectionOf(raw.source, "source", add);
  const destination = connectionOf(raw.destination, "destination", add);
  // Amazon OpenSearch Service on either side (an `aws` connection, or an *.amazonaws.com / *.on.aws host).
  const aws = [source, destination].some((c) => c !== undefined && c !== null && isAwsDestination(c) === true);
  failures.push(...repositoryProblems(raw.repository as SnapshotMigrationInputs["repository"], aws));

  const indices = raw.indices as string[];
  if (!isUnknown(indices)) {
    if (!Array.isArray(indices) || indices.length === 0)
      add("indices", 'must be a non-empty list of source index names, e.g. ["logs-2024", "orders"]');
    else {
      for (const i of indices) {
        if (isUnknown(i)) continue;
        if (typeof i !== "string") add("indices", `must hold index names (strings), got ${JSON.stringify(i)}`);
        else if (/[*?]/.test(i))
          add(
            "indices",
            `"${i}" is a pattern: name each index (the snapshot, the restore and the catch-up follow the same list)`,
          );
        else for (const p of indexNameProblems(i, "indices")) add("indices", p);
      }
      const twice = indices.filter((i, k) => indices.indexOf(i) !== k);
      if (twice.length > 0) add("indices", `names ${[...new Set(twice)].join(", ")} more than once`);
    }
  }
  const snapshot = raw.snapshot as string;
  if (known(snapshot) && (typeof snapshot !== "string" || !/^[a-z0-9][a-z0-9_.-]*$/.test(snapshot))) {
    add(
      "snapshot",
      `must be a lower-case snapshot name (letters, digits, "-", "_", "."), got ${JSON.stringify(snapshot)}`,
    );
  }

  let rename = raw.rename as SnapshotMigrationInputs["rename"];
  if (rename !== undefined && !isUnknown(rename)) {
    if (
      typeof rename !== "object" ||
      rename === null ||
      typeof rename.pattern !== "string" ||
      typeof rename.replacement !== "string"
    ) {
      add("rename", 'must be { pattern, replacement }, e.g. { pattern: "(.+)", replacement: "restored-$1" }');
      rename = undefined;
    } else {
      try {
        new RegExp(rename.pattern);
      } catch (e) {
        add("rename.pattern", `is not a regular expression: ${(e as Error).message}`);
        rename = undefined;
      }
    }
  }
  if (rename !== undefined && Array.isArray(indices) && !isUnknown(rename)) {
    const dests = indices.filter((i) => typeof i === "string" && !isUnknown(i)).map((i) => renamed(i, rename));
    for (const d of dests)
      for (const p of indexNameProblems(d, "rename")) add("rename", `${p} (the destination name of a renamed index)`);
    const clash = dests.filter((d, k) => dests.indexOf(d) !== k);
    if (clash.length > 0)
      add("rename", `gives ${[...new Set(clash)].join(", ")} to more than one index: the restore would refuse it`);
  }

  const verify = (raw.verify ?? DEFAULTS.verify) as VerifyLevel;
  if (known(verify) && !VERIFY_LEVELS.includes(verify))
    add(
      "verify",
      `must be "count", "ids" (default: compare the id sets) or "content" (also each document's _source), got ${JSON.stringify(verify)}`,
    );
  const deletionProtection = (raw.deletionProtection ?? DEFAULTS.deletionProtection) as boolean;
  if (known(deletionProtection) && typeof deletionProtection !== "boolean")
    add("deletionProtection", "must be true (default: destroy leaves the restored indices) or false");
  const timeout = (raw.timeout ?? DEFAULT_TIMEOUT_SECONDS) as number;
  if (known(timeout) && (typeof timeout !== "number" || !(timeout > 0)))
    add(
      "timeout",
      `must be a positive number of seconds (default ${DEFAULT_TIMEOUT_SECONDS}), got ${JSON.stringify(timeout)}`,
    );

  const phase = known(raw.phase) ? phaseProblem(raw.phase) : undefined;
  if (phase !== undefined) add("phase", phase.replace(/^phase /, ""));

  let catchUp = raw.catchUp as SnapshotMigrationInputs["catchUp"];
  if (catchUp !== undefined && !isUnknown(catchUp)) {
    if (typeof catchUp !== "object" || catchUp === null)
      add("catchUp", 'must be { field, lookback? }, e.g. { field: "updated_at" }');
    else catchUp = { ...catchUp, lookback: catchUp.lookback ?? DEFAULT_LOOKBACK };
  }
  const inputs: SnapshotMigrationInputs = {
    source,
    destination,
    repository: raw.repository as SnapshotMigrationInputs["repository"],
    indices,
    snapshot,
    deletionProtection,
    verify,
    timeout,
  };
  if (raw.sourceRemote !== undefined) inputs.sourceRemote = raw.sourceRemote as SnapshotMigrationInputs["sourceRemote"];
  if (catchUp !== undefined) inputs.catchUp = catchUp;
  if (rename !== undefined) inputs.rename = rename;
  if (raw.phase !== undefined) inputs.phase = raw.phase as SnapshotMigrationInputs["phase"];
  // The catch-up is a Reindex run: its checks (remote host, field, look-back) are Reindex's, under our names.
  if (Array.isArray(indices) && typeof indices[0] === "string") {
    const copy = validateReindexInputs(catchUpRaw(inputs, indices[0]));
    failures.push(
      ...copy.failures
        .filter(
          (f) =>
            !["cluster", "source.cluster", "destIndex", "source.index"].some(
              (p) => f.property === p || f.property.startsWith(`${p}.`),
            ),
        )
        .map(renameCopyFailure),
    );
  }
  return { inputs, failures: [...new Map(failures.map((f) => [`${f.property}:${f.reason}`, f])).values()] };
}

function renameCopyFailure(f: Problem): Problem {
  if (f.property.startsWith("source.remote"))
    return { ...f, property: `sourceRemote${f.property.slice("source.remote".length)}` };
  if (f.property.startsWith("mode.")) return { ...f, property: `catchUp.${f.property.slice(5)}` };
  return f;
}

/** Reindex's raw inputs of one index's catch-up (or, without catchUp, its verification): Reindex checks and runs them. */
export function catchUpRaw(i: SnapshotMigrationInputs, index: string): Record<string, unknown> {
  const raw: Record<string, unknown> = {
    cluster: i.destination,
    destIndex: renamed(index, i.rename),
    source: { index, cluster: i.source, ...(i.sourceRemote !== undefined ? { remote: i.sourceRemote } : {}) },
    mode:
      i.catchUp === undefined
        ? { type: "full" }
        : { type: "incremental", field: i.catchUp.field, lookback: i.catchUp.lookback },
    transport: i.sourceRemote === undefined ? "client" : "remote",
    timeout: i.timeout,
    verify: i.verify,
  };
  return raw;
}

/** The catch-up's Reindex inputs, normalized by Reindex's validation. */
export function catchUpInputs(i: SnapshotMigrationInputs, index: string): ReindexInputs {
  return validateReindexInputs(catchUpRaw(i, index)).inputs;
}
