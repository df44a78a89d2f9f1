// The per-index reads of many checks and diffs, sent as few requests: a preview or an up over hundreds of indices
// reads, for each index, the mapping of its incremental or partition field (check) and what waits (diff: a refresh of
// the destination index, its `_stats`, the window's documents at the source, an ids look-up, two counts). Asked in the
// same turn for the same cluster, they go as
// - field mappings: one `GET /<a>,<b>,.../_mapping/field/<field>` (ignore_unavailable), each caller its own index;
// - refreshes: one `POST /<a>,<b>,.../_refresh` (every one asked alone when it does not succeed on every shard);
// - `_stats` filtered to `indices.*`: one `GET /<a>,<b>,.../_stats` (ignore_unavailable), each caller its own index;
// - searches and counts of one index: one `_msearch` (a count as `size: 0, track_total_hits: true`).
// Whatever the combined answer does not give exactly (an alias, a missing index, an item's error, a total that is not
// exact) is asked alone, so its answer or error is the single request's; a combined request that got no answer at
// all (the cluster unreachable) fails its callers with that error instead of retrying each alone.
import { stableJson as stable } from "../shared/stable-json";
import { noAnswer, pathChunks, runsOf, TurnBatches, type Waiter } from "./turn-batch";
import type { Cluster, ClusterRequest } from "./types";
import { isObject } from "../shared/json";

// One index by name (not `_all`, a list or a pattern), then the API (a field mapping: one field path).
const ONE_INDEX = /^\/([^/,*_][^/,*]*)\/(_refresh|_stats|_search|_count|_mapping\/field\/[^/]+)$/;
/** Searches in one `_msearch`: its items run on the search pool like single searches (max_concurrent_searches). */
const MSEARCH_ITEMS = 64;

export type ReadKind = "mapping" | "refresh" | "stats" | "search" | "count";
/** A read readTarget recognizes: its kind, (encoded) index, and the rest of its path after the index. */
export interface ReadTarget {
  kind: ReadKind;
  index: string;
  api: string;
}

const only = (o: Record<string, unknown> | undefined, keys: string[]) =>
  Object.keys(o ?? {}).every((k) => keys.includes(k) && o![k] !== undefined);

/** What a single-index read this module can batch is, else undefined. Pure. */
export function readTarget(req: ClusterRequest): ReadTarget | undefined {
  const m = ONE_INDEX.exec(req.path);
  if (m === null || req.ignore !== undefined) return undefined;
  const [, index, api] = m;
  const method = req.method ?? "GET";
  const qs = req.querystring as Record<string, unknown> | undefined;
  const get = method === "GET" && req.body === undefined;
  const post = method === "POST" && isObject(req.body);
  if (api.startsWith("_mapping/")) return get ? { kind: "mapping", index, api } : undefined;
  switch (api) {
    case "_refresh":
      return method === "POST" && req.body === undefined && only(qs, []) ? { kind: "refresh", index, api } : undefined;
    case "_stats": {
      // Only an answer filtered to `indices.*` is the same shape for one index as its part of many.
      const filter = qs?.filter_path;
      const byIndex = typeof filter === "string" && filter.split(",").every((p) => p.startsWith("indices."));
      return get && byIndex ? { kind: "stats", index, api } : undefined;
    }
    case "_search":
      return post && only(qs, ["filter_path"]) ? { kind: "search", index, api } : undefined;
    case "_count":
      return post && only(req.body as Record<string, unknown>, ["query"]) && only(qs, [])
        ? { kind: "count", index, api }
        : undefined;
  }
  return undefined;
}

interface ReadWaiter extends Waiter, ReadTarget {
  cluster: Cluster;
}

const batches = new TurnBatches<ReadWaiter>(send);

/** Sends `req` (a read readTarget recognizes) with the others of its kind asked in this turn of the same cluster. */
export function batchedRead<T>(
  clusterKey: string,
  cluster: Cluster,
  req: ClusterRequest,
  target: ReadTarget,
): Promise<T> {
  // One combined request has one path after the list and one query string (searches: one filter_path).
  const key = stable({
    clusterKey,
    kind: target.kind,
    api: target.kind === "mapping" ? target.api : "",
    querystring: req.querystring ?? {},
  });
  return batches.add<T>(key, (resolve, reject) => ({
    req,
    cluster,
    ...target,
    resolve: resolve as (v: unknown) => void,
    reject,
  }));
}

const alone = (w: ReadWaiter) => w.cluster.request(w.req).then(w.resolve, w.reject);
const longest = (ws: ReadWaiter[]) => Math.max(...ws.map((w) => w.req.timeoutMs ?? 60_000));

async function send(waiters: ReadWaiter[]): Promise<void> {
  if (waiters.length === 1) return alone(waiters[0]);
  switch (waiters[0].kind) {
    case "refresh":
      return sendByPath(waiters, refreshAnswers);
    case "mapping":
    case "stats":
      return sendByPath(waiters, byIndexAnswers);
    case "search":
    case "count":
      await Promise.all(runsOf(waiters, MSEARCH_ITEMS).map(sendMsearch));
  }
}

/** What each waiter gets out of a combined answer; undefined sends it alone. */
type Answers = (body: unknown, waiters: ReadWaiter[]) => (unknown | undefined)[];

// A refresh answers for the whole list: every index refreshed on every shard, or each asked alone.
const refreshAnswers: Answers = (body, waiters) => {
  const failed = (body as { _shards?: { failed?: number } } | undefined)?._shards?.failed ?? 0;
  return waiters.map(() => (failed === 0 ? body : undefined));
};

// `_stats` answers under `indices`, a field mapping at the top: each index's part by its name (an alias's is under the
// index it names, so the alias is asked alone).
const byIndexAnswers: Answers = (answer, waiters) =>
  waiters.map((w) => {
    const body = answer as (Record<string, unknown> & { indices?: Record<string, unknown> }) | undefined;
    const name = decodeURIComponent(w.index);
    const part = w.kind === "stats" ? body?.indices?.[name] : body?.[name];
    if (part === undefined) return undefined;
    return w.kind === "stats" ? { indices: { [name]: part } } : { [name]: part };
  });

async function sendByPath(waiters: ReadWaiter[], answers: Answers): Promise<void> {
  const { cluster, req, kind, api: rest } = waiters[0];
  const indices = [...new Set(waiters.map((w) => w.index))];
  await Promise.all(
    pathChunks(indices, rest).map(async (chunk) => {
      const mine = waiters.filter((w) => chunk.includes(w.index));
      if (mine.length === 1) return alone(mine[0]);
      let body: unknown;
      try {
        // A missing index is left out of a list answer (and asked alone) rather than failing the list.
        const querystring = kind === "refresh" ? req.querystring : { ...req.querystring, ignore_unavailable: true };
        body = await cluster.request({
          method: req.method,
          path: `/${chunk.join(",")}/${rest}`,
          querystring,
          timeoutMs: longest(mine),
          idempotent: true,
        });
      } catch (e) {
        if (noAnswer(e)) return mine.forEach((w) => w.reject(e));
        body = undefined; // every index asked alone: each gets its own answer or error
      }
      const parts = body === undefined ? mine.map(() => undefined) : answers(body, mine);
      await Promise.all(mine.map((w, i) => (parts[i] === undefined ? alone(w) : w.resolve(parts[i]))));
    }),
  );
}

/** The `_msearch` filter for items filtered as the single searches are (with each item's status and error). Pure. */
export function msearchFilterPath(single: string | undefined): string | undefined {
  if (single === undefined) return undefined;
  return [...single.split(","), "status", "error"].map((p) => `responses.${p}`).join(",");
}

/** A count's answer out of its `size: 0` search item, or undefined when the total is not exact. Pure. */
export function countOf(answer: unknown): { count: number; _shards: unknown } | undefined {
  // `hits.total` is a number before 7.0, `{ value, relation }` from 7.0 on.
  const item = answer as { hits?: { total?: number | { relation?: string; value?: number } }; _shards?: unknown };
  const total = item?.hits?.total;
  const count = typeof total === "number" ? total : total?.relation === "eq" ? total.value : undefined;
  return typeof count === "number" ? { count, _shards: item._shards } : undefined;
}

async function sendMsearch(waiters: ReadWaiter[]): Promise<void> {
  if (waiters.length === 1) return alone(waiters[0]);
  const { cluster, kind, req } = waiters[0];
  const lines: unknown[] = [];
  for (const w of waiters) {
    lines.push({ index: decodeURIComponent(w.index) });
    lines.push(
      kind === "count"
        ? { size: 0, track_total_hits: true, query: (w.req.body as { query: unknown }).query }
        : w.req.body,
    );
  }
  const filter = kind === "count" ? "hits.total,_shards" : (req.querystring?.filter_path as string | undefined);
  let items: unknown[] | undefined;
  try {
    const body = await cluster.request<{ responses?: unknown[] } | undefined>({
      method: "POST",
      path: "/_msearch",
      body: lines,
      querystring: { filter_path: msearchFilterPath(filter) },
      timeoutMs: longest(waiters),
      idempotent: true,
    });
    const responses = body?.responses;
    items = Array.isArray(responses) && responses.length === waiters.length ? responses : undefined;
  } catch (e) {
    if (noAnswer(e)) return waiters.forEach((w) => w.reject(e));
    items = undefined;
  }
  await Promise.all(
    waiters.map((w, i) => {
      const item = items?.[i];
      // An item's error (a missing index, a rejected search) is the single request's to tell.
      if (!isObject(item) || item.error !== undefined || (typeof item.status === "number" && item.status >= 300))
        return alone(w);
      const { status: _status, ...answer } = item;
      const part = kind === "count" ? countOf(answer) : answer;
      return part === undefined ? alone(w) : w.resolve(part);
    }),
  );
}
