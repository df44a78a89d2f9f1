// The field-mapping reads of many indices' checks, sent as one request: a group's check asks the source for the
// mapping of the incremental (or partition) field of each of its indices, and hundreds of such requests at once
// cost the preview more than the answers do. Requests asked in the same turn of the event loop for the same cluster,
// field and query string go as one `GET /<a>,<b>,.../_mapping/field/<field>`; each caller gets its own index's part,
// shaped as its own request's answer. An index the combined answer does not hold by name (an alias, a missing index)
// is asked alone, so its answer or error is exactly the single request's (unless the cluster did not answer at all:
// see noAnswer).
import { stableJson as stable } from "../shared/stable-json";
import { noAnswer, pathChunks, TurnBatches, type Waiter } from "./turn-batch";
import type { Cluster, ClusterRequest } from "./types";

// One index by name (not `_all`, a list or a pattern), one field path.
const FIELD_MAPPING = /^\/([^/,*_][^/,*]*)\/_mapping\/field\/([^/]+)$/;

/** The (encoded) index and field path of a single-index field-mapping GET, else undefined. Pure. */
export function fieldMappingTarget(req: ClusterRequest): { index: string; field: string } | undefined {
  if ((req.method ?? "GET") !== "GET" || req.body !== undefined || req.ignore !== undefined) return undefined;
  const m = FIELD_MAPPING.exec(req.path);
  return m === null ? undefined : { index: m[1], field: m[2] };
}

interface MappingWaiter extends Waiter {
  cluster: Cluster;
  index: string;
  field: string;
}

const batches = new TurnBatches<MappingWaiter>(send);

/** Sends `req` (a field-mapping GET of one index, see fieldMappingTarget) with the others asked in this turn. */
export function batchedFieldMapping<T>(clusterKey: string, cluster: Cluster, req: ClusterRequest, target: { index: string; field: string }): Promise<T> {
  const key = stable({ clusterKey, field: target.field, querystring: req.querystring ?? {} });
  return batches.add<T>(key, (resolve, reject) => ({ req, cluster, ...target, resolve: resolve as (v: unknown) => void, reject }));
}

async function send(waiters: MappingWaiter[]): Promise<void> {
  const { cluster, field } = waiters[0];
  const alone = (w: MappingWaiter) => cluster.request(w.req).then(w.resolve, w.reject);
  const indices = [...new Set(waiters.map((w) => w.index))];
  if (indices.length === 1) {
    await Promise.all(waiters.map(alone));
    return;
  }
  const rest = `_mapping/field/${field}`;
  await Promise.all(
    pathChunks(indices, rest).map(async (chunk) => {
      const mine = waiters.filter((w) => chunk.includes(w.index));
      const first = mine[0].req;
      let body: Record<string, unknown> | undefined;
      try {
        body = await cluster.request<Record<string, unknown>>({
          method: "GET",
          path: `/${chunk.join(",")}/${rest}`,
          querystring: { ...first.querystring, ignore_unavailable: true },
          timeoutMs: first.timeoutMs,
        });
      } catch (e) {
        if (noAnswer(e)) return mine.forEach((w) => w.reject(e));
        body = undefined; // every index asked alone: each gets its own answer or error
      }
      await Promise.all(
        mine.map((w) => {
          const name = decodeURIComponent(w.index);
          const part = body?.[name];
          return part === undefined ? alone(w) : w.resolve({ [name]: part });
        }),
      );
    }),
  );
}
