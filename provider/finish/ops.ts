// The requests MigrationFinish makes on the destination: read and apply settings, refresh, count, read and move an
// alias. Each function takes a connected Cluster.
import type { Cluster } from "../connection/types";
import { type FlatSettings, normalizeSettings } from "../settings";
import type { AliasHolders } from "./plan";

const path = (index: string, suffix = "") => `/${encodeURIComponent(index)}${suffix}`;

/** The index's explicit settings (canonical flat form), or undefined when the index does not exist. */
export async function readSettings(cluster: Cluster, index: string): Promise<FlatSettings | undefined> {
  const res = await cluster.request<Record<string, { settings?: Record<string, unknown> }> | undefined>({
    method: "GET",
    path: path(index, "/_settings"),
    querystring: { flat_settings: true },
    ignore: [404],
  });
  const body = res?.[index];
  return body === undefined ? undefined : normalizeSettings(body.settings ?? {});
}

/** POST /<index>/_refresh: documents written by the copy become visible to counts and searches. */
export async function refreshIndex(cluster: Cluster, index: string): Promise<void> {
  await cluster.request({ method: "POST", path: path(index, "/_refresh"), idempotent: true });
}

/** Documents in the index (top-level documents, as `_count` sees them), those `query` matches when given. */
export async function countIndex(cluster: Cluster, index: string, query?: Record<string, unknown>): Promise<number> {
  const res = await cluster.request<{ count: number }>(
    query === undefined
      ? { method: "GET", path: path(index, "/_count") }
      : { method: "POST", path: path(index, "/_count"), body: { query }, idempotent: true },
  );
  return res.count;
}

/** Indices that hold `alias` now, with the alias's options on each; empty when no index has it. */
export async function aliasHolders(cluster: Cluster, alias: string): Promise<AliasHolders> {
  const res = await cluster.request<Record<string, { aliases?: AliasHolders }> | undefined>({
    method: "GET",
    path: `/_alias/${encodeURIComponent(alias)}`,
    ignore: [404],
  });
  const out: AliasHolders = {};
  for (const [index, body] of Object.entries(res ?? {})) {
    const opts = body?.aliases?.[alias];
    if (opts !== undefined) out[index] = opts;
  }
  return out;
}

/** True when `name` is an index (or data stream) on the cluster, not an alias. */
export async function isConcreteIndex(cluster: Cluster, name: string): Promise<boolean> {
  const res = await cluster.request<Record<string, unknown>>({
    method: "GET",
    path: path(name, "/_settings"),
    querystring: { flat_settings: true },
    ignore: [404],
  });
  return res !== undefined && Object.prototype.hasOwnProperty.call(res, name);
}

/** True when the destination has the ingest pipeline `name`. */
export async function pipelineExists(cluster: Cluster, name: string): Promise<boolean> {
  const res = await cluster.request<Record<string, unknown>>({
    method: "GET",
    path: `/_ingest/pipeline/${encodeURIComponent(name)}`,
    ignore: [404],
  });
  return res !== undefined && Object.prototype.hasOwnProperty.call(res, name);
}
