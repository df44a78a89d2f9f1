// The process's shared client (./shared) whose reads of one index, asked by many checks or diffs in the same turn,
// go as one request for many indices: field mappings, refreshes, `_stats`, searches and counts (./read-batch). Every
// caller still gets exactly its own request's answer or error.
import type { ConnectOptions } from "./client";
import { batchedRead, readTarget } from "./read-batch";
import { connectShared, sharedClientKey } from "./shared";
import type { Cluster, ClusterConnection, ClusterRequest } from "./types";

/** connectShared(), batching the reads it can; a client not shared (AWS credentials of its own) sends each alone. */
export function connectBatching(conn: ClusterConnection, role: string, options?: ConnectOptions): Cluster {
  const clientKey = sharedClientKey(conn, role, options);
  const client = connectShared(conn, role, options);
  if (clientKey === undefined) return client;
  const request = <T>(req: ClusterRequest): Promise<T> => {
    const read = readTarget(req);
    if (read !== undefined) return batchedRead<T>(clientKey, client, req, read);
    return client.request<T>(req);
  };
  return { ...client, request };
}
