// Cluster facts that stay put while one Pulumi command runs (`GET /`: flavor and version; `GET _nodes/settings`: the
// allow list; where a field is mapped), asked once per cluster by the provider process instead of once per index: the
// engine checks registrations one at a time, so a request per index and fact adds up over hundreds of indices.
import { connect } from "../connection/client";
import { parseClusterInfo } from "../connection/info";
import { connectBatching } from "../connection/batching";
import type { Cluster, ClusterConnection, ClusterRequest } from "../connection/types";
import { listSourceIndices } from "../indices";
import { fieldTypes } from "../reindex/rules";
import { stableJson as stable } from "../shared/stable-json";
import type { IndexSize } from "./estimate";

const FACT_PATHS = new Set(["/", "/_nodes/settings"]);
const asked = new Map<string, Promise<unknown>>();
/** One index's field mapping (what a check asks for its incremental or partition field). */
const FIELD_MAPPING = /^\/([^/,*_][^/,*]*)\/_mapping\/field\/([^/,*]+)$/;
const fieldMappings = new Map<string, Promise<Record<string, unknown> | undefined>>();

/**
 * The answer to one index's `GET /<index>/_mapping/field/<field>` out of the field's mapping in every index of the
 * cluster, asked once per process (the checks of a migration arrive one at a time, so they cannot be sent together):
 * only an index that has the field mapped is answered from it (a field's type never changes once mapped). An alias,
 * an index created or a field mapped since, a failed whole-cluster read: undefined, and the index is asked alone, so
 * its answer or error (a field not mapped, an index missing) is always the single request's.
 */
async function fromFieldMappings(
  conn: ClusterConnection,
  client: Cluster,
  req: ClusterRequest,
): Promise<Record<string, unknown> | undefined> {
  const m = (req.method ?? "GET") === "GET" && req.querystring === undefined ? FIELD_MAPPING.exec(req.path) : null;
  if (m === null) return undefined;
  const [, index, field] = m;
  const key = stable({ conn, field });
  let all = fieldMappings.get(key);
  if (all === undefined) {
    all = client
      .request<Record<string, unknown>>({ method: "GET", path: `/_mapping/field/${field}`, timeoutMs: req.timeoutMs })
      .catch(() => undefined);
    fieldMappings.set(key, all);
  }
  const name = decodeURIComponent(index);
  const part = (await all)?.[name];
  if (part === undefined) return undefined;
  const answer = { [name]: part };
  return fieldTypes(answer, decodeURIComponent(field)).size > 0 ? answer : undefined;
}

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
  const request = async <T>(req: ClusterRequest): Promise<T> => {
    const mapped = await fromFieldMappings(conn, client, req);
    if (mapped !== undefined) return mapped as T;
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
    return (await answer) as T;
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
