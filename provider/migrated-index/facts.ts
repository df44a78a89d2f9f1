// Cluster facts that stay put while one Pulumi command runs (`GET /`: flavor and version; `GET _nodes/settings`: the
// allow list), asked once per cluster by the provider process instead of once per index: the engine checks
// registrations one at a time, so a request per index and fact adds up over hundreds of indices.
import { connect } from "../connection/client";
import { parseClusterInfo } from "../connection/info";
import { connectBatching } from "../connection/batching";
import type { Cluster, ClusterConnection, ClusterRequest } from "../connection/types";
import { listSourceIndices } from "../indices";
import { stableJson as stable } from "../shared/stable-json";
import type { IndexSize } from "./estimate";

const FACT_PATHS = new Set(["/", "/_nodes/settings"]);
const asked = new Map<string, Promise<unknown>>();

/** A request's key when it asks a fact (a GET of a fact path), else undefined. */
export function factKey(conn: ClusterConnection, req: ClusterRequest): string | undefined {
  if ((req.method ?? "GET") !== "GET" || !FACT_PATHS.has(req.path)) return undefined;
  return stable({ conn, path: req.path, querystring: req.querystring ?? {} });
}

/**
 * connectBatching() (the process's shared client, reads of many indices sent as one: ../connection/batching) whose
 * clusters also answer fact requests from what this process already asked (failures are not kept).
 */
export function connectSharingFacts(
  conn: ClusterConnection,
  role: string,
  options?: Parameters<typeof connect>[2],
): Cluster {
  const client = connectBatching(conn, role, options);
  const request = <T>(req: ClusterRequest): Promise<T> => {
    const key = factKey(conn, req);
    if (key === undefined) return client.request<T>(req);
    let answer = asked.get(key);
    if (answer === undefined) {
      answer = client.request<T>(req).catch((e) => {
        asked.delete(key);
        throw e;
      });
      asked.set(key, answer);
    }
    return answer as Promise<T>;
  };
  // info() asks `GET /` through the shared answers too (the client's own info() would ask once per connection).
  const info = () =>
    request<unknown>({ method: "GET", path: "/" }).then((body) => parseClusterInfo(body, client.label));
  return { ...client, request, info };
}

const sizes = new Map<string, Promise<Map<string, IndexSize>>>();

/**
 * Top-level documents (`_count`) and primary store bytes (`_cat/indices`) of every open index of the source, asked
 * once per source and process, for the copy estimates; an empty map when the source does not answer (the estimate then has no bytes).
 */
export function sourceIndexSizes(conn: ClusterConnection): Promise<Map<string, IndexSize>> {
  const key = stable(conn);
  let answer = sizes.get(key);
  if (answer === undefined) {
    const c = connect(conn, "source", { retry: { maxAttempts: 1 } });
    answer = listSourceIndices(c)
      .then((l) => new Map(l.indices.map((i) => [i.name, { docs: i.docs, bytes: i.sizeBytes }])))
      .catch(() => {
        sizes.delete(key);
        return new Map<string, IndexSize>();
      })
      .finally(() => c.close().catch(() => undefined));
    sizes.set(key, answer);
  }
  return answer;
}
