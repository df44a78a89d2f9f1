// check(): everything that can be known about the inputs without reading data. The fields, their types and defaults
// are the schema's (./schema); the rules here say what each value and each combination needs, every problem naming
// the field and the fix. Values Pulumi does not know yet (preview) are accepted as they are. Pure and table-tested.
import { checkConnection } from "../connection/schema";
import { isAwsHost, parseClusterUrl } from "../connection/url";
import { containsUnknown, isUnknown } from "../connection/unknown";
import type { ClusterConnection } from "../connection/types";
import { indexNameProblems } from "../shared/index-names";
import { phaseProblem, type Phase } from "../shared/live-destination";
import { Problems, type Problem } from "../shared/problems";
import { VERIFY_LEVELS, type VerifyLevel } from "../verify";
import {
  DEFAULT_MAX_DELETE_PERCENT,
  DEFAULT_TIMEOUT_SECONDS,
  DELETES_POLICIES,
  REINDEX_FIELDS,
  REMOTE_FIELDS,
  SOURCE_FIELDS,
} from "./schema";
import type { DeletesPolicy, ReindexInputs, RemoteSource, SourceSpec } from "./types";
import { DEFAULT_LOOKBACK, parseDuration } from "./window";
import { isObject } from "../shared/json";

export { DEFAULT_MAX_DELETE_PERCENT, DEFAULT_TIMEOUT_SECONDS };

const TOP_FIELDS: readonly string[] = REINDEX_FIELDS;
const TIME_VALUE = /^\d+(nanos|micros|ms|s|m|h|d)$/;
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const MAX_PARTITIONS = 32;

const known = (v: unknown) => v !== undefined && !isUnknown(v);

/** Whether the destination is an Amazon OpenSearch Service domain (the only place `external` and `region` exist). */
export function isAwsDestination(cluster: ClusterConnection): boolean | undefined {
  if (cluster.aws !== undefined && !isUnknown(cluster.aws)) return true;
  if (isUnknown(cluster.url)) return undefined;
  const parsed = parseClusterUrl(cluster.url);
  return parsed.ok ? isAwsHost(parsed.parts.host) : undefined;
}

function checkRemote(
  remote: Record<string, unknown>,
  cluster: ClusterConnection | undefined,
  problems: Problems,
): RemoteSource {
  for (const k of Object.keys(remote))
    if (!(REMOTE_FIELDS as string[]).includes(k))
      problems.addNamed(`source.remote.${k}`, `is not a remote field: source.remote takes ${REMOTE_FIELDS.join(", ")}`);
  const host = remote.host;
  if (host === undefined)
    problems.addNamed(
      "source.remote.host",
      'is required: the source as the destination reaches it, e.g. "http://10.0.0.5:9200"',
    );
  else if (typeof host !== "string")
    problems.addNamed("source.remote.host", 'must be a string like "http://10.0.0.5:9200"');
  else if (!isUnknown(host)) {
    const parsed = parseClusterUrl(host, { allowPath: false, aws: remote.external === true });
    if (!parsed.ok)
      for (const p of parsed.problems)
        problems.addNamed(
          "source.remote.host",
          `${p} (remote reindex takes scheme://host:port; Alibaba Cloud refuses a path)`,
        );
  }
  const { username, password } = remote;
  if (known(password) && username === undefined)
    problems.addNamed("source.remote.password", "is set without username: set username too");
  if (known(username) && password === undefined)
    problems.addNamed("source.remote.username", "is set without password: set password too (as a secret)");
  for (const k of ["username", "password"] as const)
    if (remote[k] !== undefined && typeof remote[k] !== "string")
      problems.addNamed(`source.remote.${k}`, "must be a string");
  for (const k of ["socketTimeout", "connectTimeout"] as const) {
    const v = remote[k];
    if (known(v) && (typeof v !== "string" || !TIME_VALUE.test(v)))
      problems.addNamed(
        `source.remote.${k}`,
        `must be an engine time value with a unit, e.g. "60s" or "2m", got ${JSON.stringify(v)}`,
      );
  }
  if (known(remote.headers)) {
    if (!isObject(remote.headers) || Object.values(remote.headers).some((v) => typeof v !== "string"))
      problems.addNamed(
        "source.remote.headers",
        'must be an object of header name to string, e.g. { "x-tenant": "blue" }',
      );
    else if (Object.keys(remote.headers).some((h) => h.toLowerCase() === "authorization") && username !== undefined) {
      problems.addNamed("source.remote.headers", "sets Authorization together with username/password: use one of them");
    }
  }
  if (known(remote.external) && typeof remote.external !== "boolean")
    problems.addNamed("source.remote.external", "must be true or false");
  if (known(remote.region) && (typeof remote.region !== "string" || !REGION_RE.test(remote.region)))
    problems.addNamed(
      "source.remote.region",
      `must be an AWS region name like "eu-west-1", got ${JSON.stringify(remote.region)}`,
    );
  const awsOnly = (["external", "region"] as const).filter((k) => remote[k] !== undefined && remote[k] !== false);
  if (awsOnly.length > 0 && cluster !== undefined && isAwsDestination(cluster) === false) {
    for (const k of awsOnly) {
      problems.addNamed(
        `source.remote.${k}`,
        `is an Amazon OpenSearch Service option, but the destination (cluster) is not an AWS domain (no cluster.aws, no *.amazonaws.com host): the open-source engines refuse it ("Unsupported fields in [remote]"); remove ${k}`,
      );
    }
  }
  if (remote.external === true && typeof host === "string" && !isUnknown(host) && host.startsWith("http://")) {
    problems.addNamed(
      "source.remote.host",
      "uses http:// with external: true: Amazon OpenSearch Service reaches external sources over https only, with a certificate from a public CA",
    );
  }
  return remote as unknown as RemoteSource;
}

function checkSource(raw: unknown, cluster: ClusterConnection | undefined, problems: Problems): SourceSpec {
  if (raw === undefined) {
    problems.addNamed("source", 'is required: e.g. { index: "logs", remote: { host: "http://10.0.0.5:9200" } }');
    return { index: "" };
  }
  if (isUnknown(raw)) return raw as unknown as SourceSpec;
  if (!isObject(raw)) {
    problems.addNamed("source", 'must be an object like { index: "logs", remote: { host: "http://10.0.0.5:9200" } }');
    return { index: "" };
  }
  for (const k of Object.keys(raw))
    if (!(SOURCE_FIELDS as string[]).includes(k))
      problems.addNamed(`source.${k}`, `is not a source field: source takes ${SOURCE_FIELDS.join(", ")}`);
  const out: SourceSpec = { index: raw.index as string };
  if (raw.index === undefined)
    problems.addNamed("source.index", 'is required: the source index (or a pattern such as "logs-*")');
  else if (typeof raw.index !== "string" || raw.index === "")
    problems.addNamed("source.index", "must be a non-empty string");
  if (raw.remote !== undefined) {
    if (isUnknown(raw.remote)) out.remote = raw.remote as unknown as RemoteSource;
    else if (!isObject(raw.remote))
      problems.addNamed("source.remote", 'must be an object like { host: "http://10.0.0.5:9200", username, password }');
    else out.remote = checkRemote(raw.remote, cluster, problems);
  }
  if (raw.cluster !== undefined) out.cluster = parseWith(raw.cluster, "source.cluster", problems);
  if (raw.query !== undefined && !isUnknown(raw.query)) {
    if (!isObject(raw.query))
      problems.addNamed("source.query", 'must be a query DSL object, e.g. { term: { tenant: "blue" } }');
    else if (Object.keys(raw.query).length === 1 && "query" in raw.query)
      problems.addNamed(
        "source.query",
        'wraps the query in { query: ... }: give the query itself, e.g. { term: { tenant: "blue" } }',
      );
    else out.query = raw.query;
  } else if (raw.query !== undefined) out.query = raw.query as Record<string, unknown>;
  if (raw.size !== undefined) {
    if (known(raw.size) && (!Number.isInteger(raw.size) || (raw.size as number) < 1 || (raw.size as number) > 10_000)) {
      problems.addNamed(
        "source.size",
        `must be an integer from 1 to 10000 (documents per scroll page; default: chosen from the average document size; lower it for large documents), got ${JSON.stringify(raw.size)}`,
      );
    }
    out.size = raw.size as number;
  }
  return out;
}

function parseWith(raw: unknown, field: string, problems: Problems): ClusterConnection | undefined {
  const checked = checkConnection(raw, field);
  problems.addAll(checked.problems);
  return checked.connection;
}

/**
 * Validates and normalizes raw inputs. Returns the inputs with defaults applied and every problem found;
 * the inputs are only meaningful when there are no failures.
 */
export function validateInputs(raw: Record<string, unknown>): { inputs: ReindexInputs; failures: Problem[] } {
  const problems = new Problems();
  for (const k of Object.keys(raw))
    if (!TOP_FIELDS.includes(k) && !k.startsWith("__"))
      problems.addNamed(k, `is not a Reindex input: Reindex takes ${TOP_FIELDS.join(", ")}`);

  let cluster: ClusterConnection | undefined;
  if (raw.cluster === undefined)
    problems.addNamed("cluster", "is required: the destination cluster's connection (it runs the reindex)");
  else cluster = parseWith(raw.cluster, "cluster", problems);

  if (raw.destIndex === undefined)
    problems.addNamed("destIndex", "is required: the destination index (DestinationIndex.index)");
  else if (typeof raw.destIndex !== "string") problems.addNamed("destIndex", "must be a string");
  else if (!isUnknown(raw.destIndex)) {
    for (const reason of indexNameProblems(raw.destIndex, "destIndex")) problems.add("destIndex", reason);
  }
  if (raw.destIndexUuid !== undefined && typeof raw.destIndexUuid !== "string")
    problems.addNamed("destIndexUuid", "must be a string (DestinationIndex.uuid)");

  const source = checkSource(raw.source, cluster, problems);
  const remote = source.remote !== undefined && !isUnknown(source.remote);

  let mode = raw.mode as ReindexInputs["mode"] | undefined;
  if (mode === undefined) mode = { type: "full" };
  else if (!isUnknown(mode)) {
    if (!isObject(mode) || !["full", "incremental", "missingField"].includes(mode.type as string)) {
      problems.addNamed(
        "mode",
        'must be { type: "full" }, { type: "incremental", field } or { type: "missingField", field }',
      );
    } else if (mode.type !== "full") {
      const f = (mode as { field?: unknown }).field;
      if (typeof f !== "string" || f === "")
        problems.addNamed(
          "mode.field",
          `is required for mode ${mode.type}: the field to ${mode.type === "incremental" ? 'follow (a date or number that grows, e.g. "updated_at")' : "look for"}`,
        );
      if (mode.type === "incremental")
        mode = {
          ...mode,
          lookback: checkLookback((mode as { lookback?: unknown }).lookback, problems),
        } as ReindexInputs["mode"];
      else if ((mode as { lookback?: unknown }).lookback !== undefined)
        problems.addNamed("mode.lookback", "is for incremental mode only: remove it");
    }
  }

  const transport = (raw.transport ?? "remote") as ReindexInputs["transport"];
  if (!isUnknown(transport) && transport !== "remote" && transport !== "client")
    problems.addNamed("transport", 'must be "remote" (the destination pulls) or "client" (the provider copies)');

  if (source.cluster !== undefined && source.remote === undefined && transport === "remote" && !isUnknown(raw.source)) {
    problems.addNamed(
      "source.cluster",
      'is set without source.remote: a remote reindex of a local source reads the destination cluster itself; set source.remote (where the destination pulls from), or transport: "client" to copy through the provider',
    );
  }
  const partitions = raw.partitions as ReindexInputs["partitions"] | undefined;
  if (partitions !== undefined && !isUnknown(partitions)) {
    if (!isObject(partitions))
      problems.addNamed(
        "partitions",
        'must be { field, count? }, e.g. { field: "created_at", count: 4 } (without count: chosen from the destination write threads)',
      );
    else {
      if (
        known(partitions.count) &&
        (!Number.isInteger(partitions.count) || partitions.count! < 1 || partitions.count! > MAX_PARTITIONS)
      ) {
        problems.addNamed(
          "partitions.count",
          `must be an integer from 1 to ${MAX_PARTITIONS}, got ${JSON.stringify(partitions.count)} (2-4 usually saturate a destination node)`,
        );
      }
      if (known(partitions.field) && (typeof partitions.field !== "string" || partitions.field === ""))
        problems.addNamed("partitions.field", "must name a numeric or date field of the source to split on");
      if (
        !remote &&
        transport === "remote" &&
        raw.source !== undefined &&
        !isUnknown(raw.source) &&
        !isUnknown(source.remote)
      ) {
        problems.addNamed(
          "partitions",
          "is for a remote source (remote reindex has no slices): for a local source set slices instead, the engine splits the work itself",
        );
      }
    }
  }
  const slices = raw.slices as ReindexInputs["slices"];
  if (slices !== undefined && !isUnknown(slices)) {
    if (slices !== "auto" && (!Number.isInteger(slices) || (slices as number) < 1))
      problems.addNamed("slices", `must be a positive integer or "auto", got ${JSON.stringify(slices)}`);
    else if (remote && slices !== 1 && transport === "remote") {
      problems.addNamed(
        "slices",
        `is ${JSON.stringify(slices)} with a remote source: the engine refuses it ("reindex from remote sources doesn't support slices > 1"); use partitions: { field, count } to run parallel tasks over ranges of a field`,
      );
    }
  }

  if (
    raw.requestsPerSecond !== undefined &&
    known(raw.requestsPerSecond) &&
    (typeof raw.requestsPerSecond !== "number" || !(raw.requestsPerSecond > 0))
  ) {
    problems.addNamed(
      "requestsPerSecond",
      `must be a positive number of documents per second (leave it out for no throttle), got ${JSON.stringify(raw.requestsPerSecond)}`,
    );
  }
  if (raw.conflicts !== undefined && known(raw.conflicts) && raw.conflicts !== "abort" && raw.conflicts !== "proceed")
    problems.addNamed("conflicts", 'must be "abort" (default) or "proceed"');
  if (raw.opType !== undefined && known(raw.opType) && raw.opType !== "index" && raw.opType !== "create")
    problems.addNamed("opType", 'must be "index" (default: overwrite by _id) or "create" (only missing documents)');
  const dataStream = raw.dataStream === true;
  if (raw.dataStream !== undefined && known(raw.dataStream) && typeof raw.dataStream !== "boolean")
    problems.addNamed("dataStream", "must be true (destIndex is a data stream) or false");
  if (dataStream && raw.opType === "index")
    problems.addNamed(
      "opType",
      'is "index", but destIndex is a data stream (dataStream: true): a data stream takes op_type "create" only; leave opType out',
    );
  if (dataStream && raw.conflicts === "abort")
    problems.addNamed(
      "conflicts",
      'is "abort", but destIndex is a data stream (dataStream: true): documents already in the stream are version conflicts of op_type "create"; leave conflicts out',
    );
  // Into a data stream: op_type "create", what is already there skipped as conflicts.
  const opType = dataStream ? "create" : raw.opType;
  const conflicts = dataStream ? "proceed" : raw.conflicts;
  if (opType === "create" && conflicts !== "proceed" && !isUnknown(conflicts)) {
    problems.addNamed(
      "opType",
      'is "create" without conflicts: "proceed": the first document that already exists would abort the task (and every re-run); set conflicts: "proceed"',
    );
  }
  // A data stream's documents are appended, never updated through the stream: a window skips only what is there.
  if (opType === "create" && !dataStream && isObject(raw.mode) && raw.mode.type === "incremental") {
    problems.addNamed(
      "opType",
      '"create" with an incremental mode would skip the updated documents an incremental run is for; leave opType out',
    );
  }
  const timeout = (raw.timeout ?? DEFAULT_TIMEOUT_SECONDS) as number;
  if (known(timeout) && (typeof timeout !== "number" || !(timeout > 0)))
    problems.addNamed(
      "timeout",
      `must be a positive number of seconds (default ${DEFAULT_TIMEOUT_SECONDS}), got ${JSON.stringify(timeout)}`,
    );
  const verify = checkVerify(raw.verify, problems);
  const deletes = (raw.deletes ?? "report") as DeletesPolicy;
  if (known(deletes) && !(DELETES_POLICIES as readonly string[]).includes(deletes))
    problems.addNamed(
      "deletes",
      `must be "ignore", "report" (default: preview and up say how many destination documents the source no longer has) or "reconcile" (up deletes them, up to maxDeletePercent), got ${JSON.stringify(deletes)}`,
    );
  const maxDeletePercent = (raw.maxDeletePercent ?? DEFAULT_MAX_DELETE_PERCENT) as number;
  if (
    known(maxDeletePercent) &&
    (typeof maxDeletePercent !== "number" || !(maxDeletePercent >= 0 && maxDeletePercent <= 100))
  ) {
    problems.addNamed(
      "maxDeletePercent",
      `must be a number from 0 to 100 (percent of the destination's documents one run may delete; default ${DEFAULT_MAX_DELETE_PERCENT}), got ${JSON.stringify(maxDeletePercent)}`,
    );
  }
  if (deletes === "reconcile" && verify === "count")
    problems.addNamed(
      "deletes",
      `"reconcile" needs to know which documents the source lost: set verify: "ids" (the default) or "content"`,
    );
  if (raw.maxDeletePercent !== undefined && known(deletes) && deletes !== "reconcile")
    problems.addNamed("maxDeletePercent", `only guards deletes: "reconcile"; set deletes: "reconcile" or remove it`);
  if (
    raw.scroll !== undefined &&
    known(raw.scroll) &&
    (typeof raw.scroll !== "string" || !TIME_VALUE.test(raw.scroll))
  ) {
    problems.addNamed(
      "scroll",
      `must be an engine time value with a unit, e.g. "10m" or "2h" (how long the source keeps a scroll between two pages), got ${JSON.stringify(raw.scroll)}`,
    );
  }

  const phase = known(raw.phase) ? phaseProblem(raw.phase) : undefined;
  if (phase !== undefined) problems.addNamed("phase", phase.replace(/^phase /, ""));

  const inputs: ReindexInputs = {
    cluster: cluster ?? (raw.cluster as ClusterConnection),
    destIndex: raw.destIndex as string,
    source,
    mode,
    transport,
    timeout,
    verify,
    deletes,
    maxDeletePercent,
  };
  if (raw.scroll !== undefined) inputs.scroll = raw.scroll as string;
  if (raw.phase !== undefined) inputs.phase = raw.phase as Phase;
  if (raw.destIndexUuid !== undefined) inputs.destIndexUuid = raw.destIndexUuid as string;
  if (partitions !== undefined) inputs.partitions = partitions;
  if (slices !== undefined) inputs.slices = slices;
  if (raw.requestsPerSecond !== undefined) inputs.requestsPerSecond = raw.requestsPerSecond as number;
  if (conflicts !== undefined) inputs.conflicts = conflicts as ReindexInputs["conflicts"];
  if (opType !== undefined) inputs.opType = opType as ReindexInputs["opType"];
  if (dataStream) inputs.dataStream = true;
  return { inputs, failures: problems.list };
}

function checkLookback(raw: unknown, problems: Problems): string | number {
  if (raw === undefined) return DEFAULT_LOOKBACK;
  if (isUnknown(raw)) return raw as string;
  if (typeof raw === "number") {
    if (!(raw >= 0) || !Number.isFinite(raw)) problems.addNamed("mode.lookback", `must not be negative, got ${raw}`);
    return raw;
  }
  if (typeof raw === "string" && raw.trim().startsWith("-"))
    problems.addNamed(
      "mode.lookback",
      `must not be negative, got ${JSON.stringify(raw)}: the window starts this long before the watermark`,
    );
  else if (typeof raw !== "string" || parseDuration(raw) === undefined) {
    problems.addNamed(
      "mode.lookback",
      `must be a duration such as "5m", "30s", "2h" or "0s" (or a number in the field's units), got ${JSON.stringify(raw)}`,
    );
  }
  return raw as string;
}

/** `verify`: a level; true and false (earlier releases) read as "ids" and "count". */
function checkVerify(raw: unknown, problems: Problems): VerifyLevel {
  if (raw === undefined || raw === true) return "ids";
  if (raw === false) return "count";
  if (isUnknown(raw)) return raw as VerifyLevel;
  if (!VERIFY_LEVELS.includes(raw as VerifyLevel)) {
    problems.addNamed(
      "verify",
      `must be "count" (compare counts), "ids" (default: compare the id sets) or "content" (also compare each document's _source), got ${JSON.stringify(raw)}`,
    );
  }
  return raw as VerifyLevel;
}

/** True when nothing in the inputs is waiting on another resource (the provider may connect). */
export function fullyKnown(inputs: ReindexInputs): boolean {
  return !containsUnknown(inputs);
}
