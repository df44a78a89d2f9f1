// One client per cluster, role and options for a whole provider process: the checks and diffs of hundreds of indices
// (a MigratedIndexGroup, or many MigratedIndex resources served by one process) reuse its connections instead of
// building a client and opening TCP connections for each. A dynamic provider process lives for one command.
import { stableJson as stable } from "../shared/stable-json";
import { connect, type ConnectOptions } from "./client";
import type { Cluster, ClusterConnection } from "./types";

const clients = new Map<string, Cluster>();

/** The key under which `connectShared` keeps a client; undefined for options it does not share (AWS credentials). */
export function sharedClientKey(conn: ClusterConnection, role: string, options?: ConnectOptions): string | undefined {
  return options?.awsCredentials === undefined ? stable({ conn, role, options: options ?? {} }) : undefined;
}

/** connect(), sharing the client with every caller of the same connection, role and options; its close is a no-op. */
export function connectShared(conn: ClusterConnection, role: string, options?: ConnectOptions): Cluster {
  const key = sharedClientKey(conn, role, options);
  if (key === undefined) return connect(conn, role, options);
  let client = clients.get(key);
  if (client === undefined) {
    client = connect(conn, role, options);
    clients.set(key, client);
  }
  return { ...client, close: async () => undefined };
}
