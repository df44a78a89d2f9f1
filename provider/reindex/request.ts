// The `POST _reindex` request of one partition and the connection the provider uses to read the source. Pure.
import type { ClusterConnection } from "../connection/types";
import type { Query } from "./queries";
import type { ReindexInputs, Versioning } from "./types";

export interface ReindexRequest {
  body: Record<string, unknown>;
  querystring: Record<string, string | number | boolean | undefined>;
}

/**
 * The reindex request copying `query` from the source into the destination index, started in the background. With
 * external versioning the destination keeps the source's versions and skips what it holds in the same or a newer
 * version; those skips are version conflicts, which must not stop the task. `size`: documents per remote page (the
 * run's choice, ./batch-size), default `source.size`.
 */
export function reindexRequest(
  inputs: ReindexInputs,
  query: Query,
  versioning: Versioning = "internal",
  size: number | undefined = inputs.source.size,
): ReindexRequest {
  const src = inputs.source;
  const source: Record<string, unknown> = { index: src.index, query };
  if (size !== undefined) source.size = size;
  const r = src.remote;
  if (r !== undefined) {
    const remote: Record<string, unknown> = { host: r.host };
    if (r.username !== undefined) remote.username = r.username;
    if (r.password !== undefined) remote.password = r.password;
    if (r.socketTimeout !== undefined) remote.socket_timeout = r.socketTimeout;
    if (r.connectTimeout !== undefined) remote.connect_timeout = r.connectTimeout;
    if (r.headers !== undefined && Object.keys(r.headers).length > 0) remote.headers = r.headers;
    // Amazon OpenSearch Service only; check() refused them for other destinations.
    if (r.external !== undefined) remote.external = r.external;
    if (r.region !== undefined) remote.region = r.region;
    source.remote = remote;
  }
  const dest: Record<string, unknown> = { index: inputs.destIndex };
  if (inputs.opType !== undefined) dest.op_type = inputs.opType;
  if (versioning === "external") dest.version_type = "external";
  const body: Record<string, unknown> = { source, dest };
  if (versioning === "external") body.conflicts = "proceed";
  else if (inputs.conflicts !== undefined) body.conflicts = inputs.conflicts;
  return {
    body,
    querystring: {
      wait_for_completion: false,
      scroll: scrollKeepAlive(inputs),
      requests_per_second: inputs.requestsPerSecond,
      slices: r === undefined && inputs.slices !== undefined ? inputs.slices : undefined,
    },
  };
}

/**
 * Keep-alive of the source scroll between two pages: `scroll` when given, else the engines' 5m for pages of up to
 * 1,000 documents and 5m more per further 1,000 (a larger page takes longer to write before the next is asked for).
 * Undefined leaves the engine's default.
 */
export function scrollKeepAlive(inputs: Pick<ReindexInputs, "scroll" | "source">): string | undefined {
  if (inputs.scroll !== undefined) return inputs.scroll;
  const size = inputs.source.size ?? 1000;
  return size <= 1000 ? undefined : `${5 * Math.ceil(size / 1000)}m`;
}

/**
 * How the provider itself reaches the source (counts, min/max, the client transport): `source.cluster` when given,
 * else the remote host with its credentials, else (a local source) the destination.
 */
export function sourceConnection(inputs: ReindexInputs): ClusterConnection {
  if (inputs.source.cluster !== undefined) return inputs.source.cluster;
  const r = inputs.source.remote;
  if (r === undefined) return inputs.cluster;
  const conn: ClusterConnection = { url: r.host };
  if (r.username !== undefined) conn.username = r.username;
  if (r.password !== undefined) conn.password = r.password;
  if (r.headers !== undefined) conn.headers = r.headers;
  return conn;
}
