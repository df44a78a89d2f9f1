// check(): everything that can be known about the inputs without reading data. Every problem names the field and
// the fix; values Pulumi does not know yet (preview) are accepted as they are. Pure and table-tested.
import { parseConnection } from "../connection/schema";
import { isAwsHost, parseClusterUrl } from "../connection/url";
import { containsUnknown, isUnknown } from "../connection/unknown";
import type { ClusterConnection } from "../connection/types";
import { indexNameProblems } from "../shared/index-names";
import { phaseProblem, type Phase } from "../shared/live-destination";
import { VERIFY_LEVELS, type VerifyLevel } from "../verify";
import type { DeletesPolicy, ReindexInputs, RemoteSource, SourceSpec } from "./types";
import { DEFAULT_LOOKBACK, parseDuration } from "./window";

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Default own deadline of one create/update: 6 hours. */
export const DEFAULT_TIMEOUT_SECONDS = 6 * 3600;

const TOP_FIELDS = [
  "cluster",
  "destIndex",
  "destIndexUuid",
  "source",
  "mode",
  "partitions",
  "slices",
  "transport",
  "requestsPerSecond",
  "conflicts",
  "opType",
  "dataStream",
  "timeout",
  "verify",
  "deletes",
  "maxDeletePercent",
  "scroll",
  "phase",
];
const DELETES: DeletesPolicy[] = ["ignore", "report", "reconcile"];
/** Default share of the destination's documents one reconciling run may delete. */
export const DEFAULT_MAX_DELETE_PERCENT = 5;
const SOURCE_FIELDS = ["index", "remote", "cluster", "query", "size"];
const REMOTE_FIELDS = [
  "host",
  "username",
  "password",
  "socketTimeout",
  "connectTimeout",
  "headers",
  "external",
  "region",
];
const TIME_VALUE = /^\d+(nanos|micros|ms|s|m|h|d)$/;
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const MAX_PARTITIONS = 32;

const known = (v: unknown) => v !== undefined && !isUnknown(v);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

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
  add: (p: string, r: string) => void,
): RemoteSource {
  for (const k of Object.keys(remote))
    if (!REMOTE_FIELDS.includes(k))
      add(`source.remote.${k}`, `is not a remote field: source.remote takes ${REMOTE_FIELDS.join(", ")}`);
  const host = remote.host;
  if (host === undefined)
    add("source.remote.host", 'is required: the source as the destination reaches it, e.g. "http://10.0.0.5:9200"');
  else if (typeof host !== "string") add("source.remote.host", 'must be a string like "http://10.0.0.5:9200"');
  else if (!isUnknown(host)) {
    const parsed = parseClusterUrl(host, { allowPath: false, aws: remote.external === true });
    if (!parsed.ok)
      for (const p of parsed.problems)
        add("source.remote.host", `${p} (remote reindex takes scheme://host:port; Alibaba Cloud refuses a path)`);
  }
  const { username, password } = remote;
  if (known(password) && username === undefined)
    add("source.remote.password", "is set without username: set username too");
  if (known(username) && password === undefined)
    add("source.remote.username", "is set without password: set password too (as a secret)");
  for (const k of ["username", "password"] as const)
    if (remote[k] !== undefined && typeof remote[k] !== "string") add(`source.remote.${k}`, "must be a string");
  for (const k of ["socketTimeout", "connectTimeout"] as const) {
    const v = remote[k];
    if (known(v) && (typeof v !== "string" || !TIME_VALUE.test(v)))
      add(
        `source.remote.${k}`,
        `must be an engine time value with a unit, e.g. "60s" or "2m", got ${JSON.stringify(v)}`,
      );
  }
  if (known(remote.headers)) {
    if (!isObject(remote.headers) || Object.values(remote.headers).some((v) => typeof v !== "string"))
      add("source.remote.headers", 'must be an object of header name to string, e.g. { "x-tenant": "blue" }');
    else if (Object.keys(remote.headers).some((h) => h.toLowerCase() === "authorization") && username !== undefined) {
      add("source.remote.headers", "sets Authorization together with username/password: use one of them");
    }
  }
  if (known(remote.external) && typeof remote.external !== "boolean")
    add("source.remote.external", "must be true or false");
  if (known(remote.region) && (typeof remote.region !== "string" || !REGION_RE.test(remote.region)))
    add("source.remote.region", `must be an AWS region name like "eu-west-1", got ${JSON.stringify(remote.region)}`);
  const awsOnly = (["external", "region"] as const).filter((k) => remote[k] !== undefined && remote[k] !== false);
  if (awsOnly.length > 0 && cluster !== undefined && isAwsDestination(cluster) === false) {
    for (const k of awsOnly) {
      add(
        `source.remote.${k}`,
        `is an Amazon OpenSearch Service option, but the destination (cluster) is not an AWS domain (no cluster.aws, no *.amazonaws.com host): the open-source engines refuse it ("Unsupported fields in [remote]"); remove ${k}`,
      );
    }
  }
  if (remote.external === true && typeof host === "string" && !isUnknown(host) && host.startsWith("http://")) {
    add(
      "source.remote.host",
      "uses http:// with external: true: Amazon OpenSearch Service reaches external sources over https only, with a certificate from a public CA",
    );
  }
  return remote as unknown as RemoteSource;
}

function checkSource(
  raw: unknown,
  cluster: ClusterConnection | undefined,
  add: (p: string, r: string) => void,
): SourceSpec {
  if (raw === undefined) {
    add("source", 'is required: e.g. { index: "logs", remote: { host: "http://10.0.0.5:9200" } }');
    return { index: "" };
  }
  if (isUnknown(raw)) return raw as unknown as SourceSpec;
  if (!isObject(raw)) {
    add("source", 'must be an object like { index: "logs", remote: { host: "http://10.0.0.5:9200" } }');
    return { index: "" };
  }
  for (const k of Object.keys(raw))
    if (!SOURCE_FIELDS.includes(k))
      add(`source.${k}`, `is not a source field: source takes ${SOURCE_FIELDS.join(", ")}`);
  const out: SourceSpec = { index: raw.index as string };
  if (raw.index === undefined) add("source.index", 'is required: the source index (or a pattern such as "logs-*")');
  else if (typeof raw.index !== "string" || raw.index === "") add("source.index", "must be a non-empty string");
  if (raw.remote !== undefined) {
    if (isUnknown(raw.remote)) out.remote = raw.remote as unknown as RemoteSource;
    else if (!isObject(raw.remote))
      add("source.remote", 'must be an object like { host: "http://10.0.0.5:9200", username, password }');
    else out.remote = checkRemote(raw.remote, cluster, add);
  }
  if (raw.cluster !== undefined) out.cluster = parseWith(raw.cluster, "source.cluster", add);
  if (raw.query !== undefined && !isUnknown(raw.query)) {
    if (!isObject(raw.query)) add("source.query", 'must be a query DSL object, e.g. { term: { tenant: "blue" } }');
    else if (Object.keys(raw.query).length === 1 && "query" in raw.query)
      add(
        "source.query",
        'wraps the query in { query: ... }: give the query itself, e.g. { term: { tenant: "blue" } }',
      );
    else out.query = raw.query;
  } else if (raw.query !== undefined) out.query = raw.query as Record<string, unknown>;
  if (raw.size !== undefined) {
    if (known(raw.size) && (!Number.isInteger(raw.size) || (raw.size as number) < 1 || (raw.size as number) > 10_000)) {
      add(
        "source.size",
        `must be an integer from 1 to 10000 (documents per scroll page; default 1000, lower it for large documents), got ${JSON.stringify(raw.size)}`,
      );
    }
    out.size = raw.size as number;
  }
  return out;
}

function parseWith(raw: unknown, field: string, add: (p: string, r: string) => void): ClusterConnection | undefined {
  try {
    return parseConnection(raw, field);
  } catch (e) {
    const problems = (e as { problems?: { field: string; message: string }[] }).problems;
    if (problems === undefined) throw e;
    for (const p of problems)
      add(p.field, p.message.startsWith(p.field) ? p.message.slice(p.field.length + 1) : p.message);
    return undefined;
  }
}

/**
 * Validates and normalizes raw inputs. Returns the inputs with defaults applied and every problem found;
 * the inputs are only meaningful when there are no failures.
 */
export function validateInputs(raw: Record<string, unknown>): { inputs: ReindexInputs; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const add = (property: string, reason: string) => failures.push({ property, reason: `${property} ${reason}` });
  for (const k of Object.keys(raw))
    if (!TOP_FIELDS.includes(k) && !k.startsWith("__"))
      add(k, `is not a Reindex input: Reindex takes ${TOP_FIELDS.join(", ")}`);

  let cluster: ClusterConnection | undefined;
  if (raw.cluster === undefined)
    add("cluster", "is required: the destination cluster's connection (it runs the reindex)");
  else cluster = parseWith(raw.cluster, "cluster", add);

  if (raw.destIndex === undefined) add("destIndex", "is required: the destination index (DestinationIndex.index)");
  else if (typeof raw.destIndex !== "string") add("destIndex", "must be a string");
  else if (!isUnknown(raw.destIndex)) {
    for (const reason of indexNameProblems(raw.destIndex, "destIndex"))
      failures.push({ property: "destIndex", reason });
  }
  if (raw.destIndexUuid !== undefined && typeof raw.destIndexUuid !== "string")
    add("destIndexUuid", "must be a string (DestinationIndex.uuid)");

  const source = checkSource(raw.source, cluster, add);
  const remote = source.remote !== undefined && !isUnknown(source.remote);

  let mode = raw.mode as ReindexInputs["mode"] | undefined;
  if (mode === undefined) mode = { type: "full" };
  else if (!isUnknown(mode)) {
    if (!isObject(mode) || !["full", "incremental", "missingField"].includes(mode.type as string)) {
      add("mode", 'must be { type: "full" }, { type: "incremental", field } or { type: "missingField", field }');
    } else if (mode.type !== "full") {
      const f = (mode as { field?: unknown }).field;
      if (typeof f !== "string" || f === "")
        add(
          "mode.field",
          `is required for mode ${mode.type}: the field to ${mode.type === "incremental" ? 'follow (a date or number that grows, e.g. "updated_at")' : "look for"}`,
        );
      if (mode.type === "incremental")
        mode = {
          ...mode,
          lookback: checkLookback((mode as { lookback?: unknown }).lookback, add),
        } as ReindexInputs["mode"];
      else if ((mode as { lookback?: unknown }).lookback !== undefined)
        add("mode.lookback", "is for incremental mode only: remove it");
    }
  }

  const transport = (raw.transport ?? "remote") as ReindexInputs["transport"];
  if (!isUnknown(transport) && transport !== "remote" && transport !== "client")
    add("transport", 'must be "remote" (the destination pulls) or "client" (the provider copies)');

  if (source.cluster !== undefined && source.remote === undefined && transport === "remote" && !isUnknown(raw.source)) {
    add(
      "source.cluster",
      'is set without source.remote: a remote reindex of a local source reads the destination cluster itself; set source.remote (where the destination pulls from), or transport: "client" to copy through the provider',
    );
  }
  const partitions = raw.partitions as ReindexInputs["partitions"] | undefined;
  if (partitions !== undefined && !isUnknown(partitions)) {
    if (!isObject(partitions))
      add(
        "partitions",
        'must be { field, count? }, e.g. { field: "created_at", count: 4 } (without count: chosen from the destination write threads)',
      );
    else {
      if (
        known(partitions.count) &&
        (!Number.isInteger(partitions.count) || partitions.count! < 1 || partitions.count! > MAX_PARTITIONS)
      ) {
        add(
          "partitions.count",
          `must be an integer from 1 to ${MAX_PARTITIONS}, got ${JSON.stringify(partitions.count)} (2-4 usually saturate a destination node)`,
        );
      }
      if (known(partitions.field) && (typeof partitions.field !== "string" || partitions.field === ""))
        add("partitions.field", "must name a numeric or date field of the source to split on");
      if (
        !remote &&
        transport === "remote" &&
        raw.source !== undefined &&
        !isUnknown(raw.source) &&
        !isUnknown(source.remote)
      ) {
        add(
          "partitions",
          "is for a remote source (remote reindex has no slices): for a local source set slices instead, the engine splits the work itself",
        );
      }
    }
  }
  const slices = raw.slices as ReindexInputs["slices"];
  if (slices !== undefined && !isUnknown(slices)) {
    if (slices !== "auto" && (!Number.isInteger(slices) || (slices as number) < 1))
      add("slices", `must be a positive integer or "auto", got ${JSON.stringify(slices)}`);
    else if (remote && slices !== 1 && transport === "remote") {
      add(
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
    add(
      "requestsPerSecond",
      `must be a positive number of documents per second (leave it out for no throttle), got ${JSON.stringify(raw.requestsPerSecond)}`,
    );
  }
  if (raw.conflicts !== undefined && known(raw.conflicts) && raw.conflicts !== "abort" && raw.conflicts !== "proceed")
    add("conflicts", 'must be "abort" (default) or "proceed"');
  if (raw.opType !== undefined && known(raw.opType) && raw.opType !== "index" && raw.opType !== "create")
    add("opType", 'must be "index" (default: overwrite by _id) or "create" (only missing documents)');
  const dataStream = raw.dataStream === true;
  if (raw.dataStream !== undefined && known(raw.dataStream) && typeof raw.dataStream !== "boolean")
    add("dataStream", "must be true (destIndex is a data stream) or false");
  if (dataStream && raw.opType === "index")
    add(
      "opType",
      'is "index", but destIndex is a data stream (dataStream: true): a data stream takes op_type "create" only; leave opType out',
    );
  if (dataStream && raw.conflicts === "abort")
    add(
      "conflicts",
      'is "abort", but destIndex is a data stream (dataStream: true): documents already in the stream are version conflicts of op_type "create"; leave conflicts out',
    );
  // Into a data stream: op_type "create", what is already there skipped as conflicts.
  const opType = dataStream ? "create" : raw.opType;
  const conflicts = dataStream ? "proceed" : raw.conflicts;
  if (opType === "create" && conflicts !== "proceed" && !isUnknown(conflicts)) {
    add(
      "opType",
      'is "create" without conflicts: "proceed": the first document that already exists would abort the task (and every re-run); set conflicts: "proceed"',
    );
  }
  // A data stream's documents are appended, never updated through the stream: a window skips only what is there.
  if (opType === "create" && !dataStream && isObject(raw.mode) && raw.mode.type === "incremental") {
    add(
      "opType",
      '"create" with an incremental mode would skip the updated documents an incremental run is for; leave opType out',
    );
  }
  const timeout = (raw.timeout ?? DEFAULT_TIMEOUT_SECONDS) as number;
  if (known(timeout) && (typeof timeout !== "number" || !(timeout > 0)))
    add(
      "timeout",
      `must be a positive number of seconds (default ${DEFAULT_TIMEOUT_SECONDS}), got ${JSON.stringify(timeout)}`,
    );
  const verify = checkVerify(raw.verify, add);
  const deletes = (raw.deletes ?? "report") as DeletesPolicy;
  if (known(deletes) && !DELETES.includes(deletes))
    add(
      "deletes",
      `must be "ignore", "report" (default: preview and up say how many destination documents the source no longer has) or "reconcile" (up deletes them, up to maxDeletePercent), got ${JSON.stringify(deletes)}`,
    );
  const maxDeletePercent = (raw.maxDeletePercent ?? DEFAULT_MAX_DELETE_PERCENT) as number;
  if (
    known(maxDeletePercent) &&
    (typeof maxDeletePercent !== "number" || !(maxDeletePercent >= 0 && maxDeletePercent <= 100))
  ) {
    add(
      "maxDeletePercent",
      `must be a number from 0 to 100 (percent of the destination's documents one run may delete; default ${DEFAULT_MAX_DELETE_PERCENT}), got ${JSON.stringify(maxDeletePercent)}`,
    );
  }
  if (deletes === "reconcile" && verify === "count")
    add(
      "deletes",
      `"reconcile" needs to know which documents the source lost: set verify: "ids" (the default) or "content"`,
    );
  if (raw.maxDeletePercent !== undefined && known(deletes) && deletes !== "reconcile")
    add("maxDeletePercent", `only guards deletes: "reconcile"; set deletes: "reconcile" or remove it`);
  if (
    raw.scroll !== undefined &&
    known(raw.scroll) &&
    (typeof raw.scroll !== "string" || !TIME_VALUE.test(raw.scroll))
  ) {
    add(
      "scroll",
      `must be an engine time value with a unit, e.g. "10m" or "2h" (how long the source keeps a scroll between two pages), got ${JSON.stringify(raw.scroll)}`,
    );
  }

  const phase = known(raw.phase) ? phaseProblem(raw.phase) : undefined;
  if (phase !== undefined) add("phase", phase.replace(/^phase /, ""));

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
  return { inputs, failures };
}

function checkLookback(raw: unknown, add: (p: string, r: string) => void): string | number {
  if (raw === undefined) return DEFAULT_LOOKBACK;
  if (isUnknown(raw)) return raw as string;
  if (typeof raw === "number") {
    if (!(raw >= 0) || !Number.isFinite(raw)) add("mode.lookback", `must not be negative, got ${raw}`);
    return raw;
  }
  if (typeof raw === "string" && raw.trim().startsWith("-"))
    add(
      "mode.lookback",
      `must not be negative, got ${JSON.stringify(raw)}: the window starts this long before the watermark`,
    );
  else if (typeof raw !== "string" || parseDuration(raw) === undefined) {
    add(
      "mode.lookback",
      `must be a duration such as "5m", "30s", "2h" or "0s" (or a number in the field's units), got ${JSON.stringify(raw)}`,
    );
  }
  return raw as string;
}

/** `verify`: a level; true and false (earlier releases) read as "ids" and "count". */
function checkVerify(raw: unknown, add: (p: string, r: string) => void): VerifyLevel {
  if (raw === undefined || raw === true) return "ids";
  if (raw === false) return "count";
  if (isUnknown(raw)) return raw as VerifyLevel;
  if (!VERIFY_LEVELS.includes(raw as VerifyLevel)) {
    add(
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
