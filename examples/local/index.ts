// A whole-cluster migration between two clusters this machine can reach: every open index of the source (or the
// ones `include` names) gets a destination index created from its settings and mappings, a remote reindex run by
// the destination, and a finish step (final replicas / refresh interval, verification). With `mode: incremental`
// each later `pulumi up` copies only the documents whose `incrementalField` moved past the last run.
//
// Configure it with `pulumi config set` (see examples/local/README.md); the root Pulumi.yaml runs this program.
import * as pulumi from "@pulumi/pulumi";
import { ClusterMigration } from "pulumi-es-migrate";

const config = new pulumi.Config();

/** A list from config: a JSON array (`["logs-*","orders"]`) or a comma-separated string (`logs-*,orders`). */
function listConfig(key: string): string[] | undefined {
  const raw = config.get(key);
  if (raw === undefined || raw.trim() === "") return undefined;
  if (raw.trim().startsWith("[")) {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === "string")) {
      throw new Error(
        `config ${key} must be a list of index names or patterns, e.g. ["logs-*","orders"] or logs-*,orders`,
      );
    }
    return parsed;
  }
  return raw
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

function modeConfig(): { type: "full" } | { type: "incremental"; field: string } {
  const mode = config.get("mode") ?? "full";
  if (mode === "full") return { type: "full" };
  if (mode === "incremental") return { type: "incremental", field: incrementalField };
  throw new Error(
    `config mode is "${mode}": use "full" (copy everything once) or "incremental" (copy what changed on each up)`,
  );
}

const incrementalField = config.get("incrementalField") ?? "update_time";
const partitionCount = config.getNumber("partitions");

const sourceUrl = config.require("sourceUrl");
const sourceRemoteHost = config.get("sourceRemoteHost");
const sourceUsername = config.get("sourceUsername");
const sourcePassword = config.getSecret("sourcePassword");
const destinationUsername = config.get("destinationUsername");
const destinationPassword = config.getSecret("destinationPassword");

const migration = new ClusterMigration("local", {
  // How this program reaches the source (listing indices, counting documents).
  source: pulumi.output({ url: sourceUrl, username: sourceUsername, password: sourcePassword }),
  // How the destination reaches the source for remote reindex: it must be in the destination's
  // reindex.remote.whitelist (OpenSearch 2+: allowlist). Default: sourceUrl with the source's credentials.
  sourceRemote: sourceRemoteHost
    ? pulumi.output({ host: sourceRemoteHost, username: sourceUsername, password: sourcePassword })
    : undefined,
  destination: pulumi.output({
    url: config.require("destinationUrl"),
    username: destinationUsername,
    password: destinationPassword,
  }),
  include: listConfig("include"),
  exclude: listConfig("exclude"),
  defaults: {
    mode: modeConfig(),
    // Remote reindex has no slices: several tasks over ranges of a date or number field use more destination threads.
    partitions: partitionCount
      ? { field: config.get("partitionField") ?? incrementalField, count: partitionCount }
      : undefined,
    requestsPerSecond: config.getNumber("requestsPerSecond"),
    deletionProtection: config.getBoolean("deletionProtection") ?? true,
  },
  concurrency: config.getNumber("concurrency"),
  // Hundreds of indices: register them as this many resources instead of one each (a much faster preview).
  groups: config.getNumber("groups"),
});

/** Per index: source and destination counts, rate, verification. */
export const summary = migration.summary;
export const indices = migration.indices;
/** System (`.`-prefixed) and closed indices the migration left out. */
export const skipped = migration.skipped;
