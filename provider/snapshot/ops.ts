// The snapshot and restore requests, one function each. Callers decide what to do with what they return.
import type { Cluster } from "../connection/types";
import { registrationBody } from "./repository";
import type { RepositorySpec } from "./types";

const enc = encodeURIComponent;

export async function registerRepository(
  c: Cluster,
  repo: RepositorySpec,
  side: "source" | "destination",
): Promise<void> {
  // verify=true (the default) has every node write (source) or read (destination) the location once.
  await c.request({ method: "PUT", path: `/_snapshot/${enc(repo.name)}`, body: registrationBody(repo, side) });
}

export async function removeRepository(c: Cluster, name: string): Promise<boolean> {
  const res = await c.request({ method: "DELETE", path: `/_snapshot/${enc(name)}`, ignore: [404] });
  return res !== undefined;
}

/** What `GET _snapshot/<repo>/<snapshot>` says of one snapshot; undefined when the repository does not hold it. */
export interface SnapshotInfo {
  state: "IN_PROGRESS" | "SUCCESS" | "FAILED" | "PARTIAL" | "INCOMPATIBLE" | string;
  indices: string[];
  startMs?: number;
  endMs?: number;
  failures: string[];
  shards?: { total: number; successful: number; failed: number };
}

/** `GET _snapshot/<repo>/<snapshot>`: the fields read here. */
interface GetSnapshotResponse {
  snapshots?: {
    state: SnapshotInfo["state"];
    indices?: string[];
    start_time_in_millis?: number;
    end_time_in_millis?: number;
    failures?: { index?: string; shard_id?: number; reason?: string }[];
    shards?: SnapshotInfo["shards"];
  }[];
}

/** `GET _snapshot/<repo>/<snapshot>/_status`: shard counts and sizes (older engines spell the sizes flat). */
interface SnapshotStatusResponse {
  snapshots?: {
    shards_stats?: { done?: number; total?: number };
    stats?: SnapshotStats;
  }[];
}
interface SnapshotStats {
  processed?: { size_in_bytes?: number };
  total?: { size_in_bytes?: number };
  processed_size_in_bytes?: number;
  total_size_in_bytes?: number;
}

/** One shard of `GET <indices>/_recovery`. */
interface RecoveryShard {
  stage?: string;
  index?: { size?: { recovered_in_bytes?: number; total_in_bytes?: number } };
}

export async function getSnapshot(c: Cluster, repo: string, snapshot: string): Promise<SnapshotInfo | undefined> {
  const res = await c.request<GetSnapshotResponse | undefined>({
    method: "GET",
    path: `/_snapshot/${enc(repo)}/${enc(snapshot)}`,
    ignore: [404],
  });
  const s = res?.snapshots?.[0];
  if (s === undefined) return undefined;
  return {
    state: s.state,
    indices: s.indices ?? [],
    startMs: s.start_time_in_millis,
    endMs: s.end_time_in_millis,
    failures: (s.failures ?? []).map((f) => `${f.index}[${f.shard_id}]: ${f.reason}`),
    shards: s.shards,
  };
}

/** Progress of a running snapshot: shards done of all, bytes processed of all. */
export async function snapshotProgress(
  c: Cluster,
  repo: string,
  snapshot: string,
): Promise<{ shardsDone: number; shards: number; bytesDone: number; bytes: number } | undefined> {
  const res = await c.request<SnapshotStatusResponse | undefined>({
    method: "GET",
    path: `/_snapshot/${enc(repo)}/${enc(snapshot)}/_status`,
    ignore: [404],
  });
  const s = res?.snapshots?.[0];
  if (s === undefined) return undefined;
  const stats: SnapshotStats = s.stats ?? {};
  return {
    shardsDone: s.shards_stats?.done ?? 0,
    shards: s.shards_stats?.total ?? 0,
    bytesDone: stats.processed?.size_in_bytes ?? stats.processed_size_in_bytes ?? 0,
    bytes: stats.total?.size_in_bytes ?? stats.total_size_in_bytes ?? 0,
  };
}

/** Starts a snapshot of `indices` (no cluster state) and returns at once. */
export async function startSnapshot(c: Cluster, repo: string, snapshot: string, indices: string[]): Promise<void> {
  await c.request({
    method: "PUT",
    path: `/_snapshot/${enc(repo)}/${enc(snapshot)}`,
    querystring: { wait_for_completion: false },
    body: { indices: indices.join(","), include_global_state: false, ignore_unavailable: false, partial: false },
    // Sending it twice would only meet "snapshot with the same name already exists": the caller looks first.
    idempotent: false,
  });
}

export async function deleteSnapshot(c: Cluster, repo: string, snapshot: string): Promise<boolean> {
  const res = await c.request({
    method: "DELETE",
    path: `/_snapshot/${enc(repo)}/${enc(snapshot)}`,
    ignore: [404],
    timeoutMs: 300_000,
  });
  return res !== undefined;
}

export interface RestoreRequest {
  indices: string[];
  rename?: { pattern: string; replacement: string };
  /** Settings the restored indices get instead of the snapshot's (the load settings). */
  indexSettings: Record<string, unknown>;
}

/** Starts restoring and returns at once (the shards recover in the background). */
export async function startRestore(c: Cluster, repo: string, snapshot: string, req: RestoreRequest): Promise<void> {
  await c.request({
    method: "POST",
    path: `/_snapshot/${enc(repo)}/${enc(snapshot)}/_restore`,
    querystring: { wait_for_completion: false },
    body: {
      indices: req.indices.join(","),
      include_global_state: false,
      include_aliases: false,
      ...(req.rename !== undefined
        ? { rename_pattern: req.rename.pattern, rename_replacement: req.rename.replacement }
        : {}),
      index_settings: req.indexSettings,
    },
  });
}

/** Recovery of the restored indices' shards: how many are done, and bytes recovered of all. */
export async function restoreProgress(
  c: Cluster,
  indices: string[],
): Promise<{ shardsDone: number; shards: number; bytesDone: number; bytes: number }> {
  const res = await c.request<Record<string, { shards?: RecoveryShard[] }> | undefined>({
    method: "GET",
    path: `/${indices.map(enc).join(",")}/_recovery`,
    ignore: [404],
  });
  const shards = Object.values(res ?? {}).flatMap((i) => i.shards ?? []);
  return {
    shardsDone: shards.filter((s) => s.stage === "DONE").length,
    shards: shards.length,
    bytesDone: shards.reduce((n, s) => n + (s.index?.size?.recovered_in_bytes ?? 0), 0),
    bytes: shards.reduce((n, s) => n + (s.index?.size?.total_in_bytes ?? 0), 0),
  };
}

/** The index settings a migration reads at the source (flat), by index; a missing index is absent. */
export async function flatSettings(c: Cluster, indices: string[]): Promise<Record<string, Record<string, string>>> {
  const res = await c.request<Record<string, { settings: Record<string, string> }>>({
    method: "GET",
    path: `/${indices.map(enc).join(",")}/_settings`,
    querystring: { flat_settings: true, ignore_unavailable: true },
    ignore: [404],
  });
  return Object.fromEntries(Object.entries(res ?? {}).map(([k, v]) => [k, v.settings]));
}

/** Primary store size (bytes) and documents of each index. */
export async function indexSizes(
  c: Cluster,
  indices: string[],
): Promise<Record<string, { bytes: number; docs: number }>> {
  const res = await c.request<Record<string, string>[]>({
    method: "GET",
    path: `/_cat/indices/${indices.map(enc).join(",")}`,
    querystring: { format: "json", bytes: "b", h: "index,pri.store.size,docs.count" },
    ignore: [404],
  });
  return Object.fromEntries(
    (res ?? []).map((r) => [r.index, { bytes: Number(r["pri.store.size"] ?? 0), docs: Number(r["docs.count"] ?? 0) }]),
  );
}

export async function putSettings(c: Cluster, index: string, settings: Record<string, unknown>): Promise<void> {
  await c.request({ method: "PUT", path: `/${enc(index)}/_settings`, body: { index: settings } });
}

export async function deleteIndex(c: Cluster, index: string): Promise<void> {
  await c.request({ method: "DELETE", path: `/${enc(index)}`, ignore: [404] });
}
