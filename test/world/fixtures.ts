// Shared test helpers for real clusters: JSON requests, seeding documents with `_bulk`, counting, reading ID sets.
// Plain `fetch` on purpose: fixtures must not depend on the package's own client, which the tests are checking.

/** An engine's answer with a non-2xx status. */
export class EngineHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} -> HTTP ${status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

/** Sends a request with an optional JSON (object) or NDJSON (string) body and returns the parsed JSON answer. */
export async function esJson<T = any>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const ndjson = typeof body === "string";
  const res = await fetch(new URL(path, url), {
    method,
    headers: body === undefined ? {} : { "content-type": ndjson ? "application/x-ndjson" : "application/json" },
    body: body === undefined ? undefined : ndjson ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (an HTML error page of a proxy, say): kept as text for the error.
  }
  if (!res.ok) throw new EngineHttpError(res.status, parsed, `${method} ${path}`);
  return parsed as T;
}

/** Version facts of a cluster, from `GET /`. */
export interface EngineInfo {
  distribution: "opensearch" | "elasticsearch";
  version: string;
  major: number;
}

const infoCache = new Map<string, Promise<EngineInfo>>();

export function engineInfo(url: string): Promise<EngineInfo> {
  let info = infoCache.get(url);
  if (!info) {
    info = esJson(url, "GET", "/").then((r) => ({
      distribution: r.version?.distribution === "opensearch" ? "opensearch" : "elasticsearch",
      version: r.version.number,
      major: Number(String(r.version.number).split(".")[0]),
    }));
    infoCache.set(url, info);
    info.catch(() => infoCache.delete(url));
  }
  return info;
}

// Elasticsearch 6.x requires a mapping type in bulk actions; later versions have none (or only `_doc`).
async function bulkType(url: string): Promise<{ _type?: string }> {
  const info = await engineInfo(url);
  return info.distribution === "elasticsearch" && info.major < 7 ? { _type: "_doc" } : {};
}

export interface SeedOptions {
  /** How many documents. */
  count: number;
  /** Number of the first document; default 0. IDs are `${idPrefix}${n}`. */
  startId?: number;
  /** ID prefix; default "d". */
  idPrefix?: string;
  /** Builds the source of document n; default `{ n, msg: "m<n>" }`. */
  doc?: (n: number) => Record<string, unknown>;
  /** Documents per `_bulk` request; default 5,000. */
  batch?: number;
  /** The bulk action: "index" (default) or "create" (the only one a data stream takes). */
  op?: "index" | "create";
}

/**
 * Indexes `count` documents with `_bulk` (the index is created with the engine's defaults if missing) and refreshes
 * the index, so searches and a reindex's scroll see them all. Throws on the first item the engine rejects.
 */
export async function seedDocuments(url: string, index: string, options: SeedOptions): Promise<void> {
  const { count, startId = 0, idPrefix = "d", batch = 5000, op = "index" } = options;
  const doc = options.doc ?? ((n: number) => ({ n, msg: `m${n}` }));
  const type = await bulkType(url);
  for (let from = startId; from < startId + count; from += batch) {
    const to = Math.min(startId + count, from + batch);
    let body = "";
    for (let n = from; n < to; n++) {
      body += `${JSON.stringify({ [op]: { _index: index, ...type, _id: `${idPrefix}${n}` } })}\n${JSON.stringify(doc(n))}\n`;
    }
    const res = await esJson(url, "POST", "/_bulk", body);
    if (res.errors) {
      const failed = res.items.find((i: any) => i[op]?.error);
      throw new Error(`_bulk into ${index} rejected documents, first: ${JSON.stringify(failed?.[op]?.error)}`);
    }
  }
  await esJson(url, "POST", `/${encodeURIComponent(index)}/_refresh`);
}

/** Number of documents in `index` (matching `query` if given), after a refresh. */
export async function countDocs(url: string, index: string, query?: Record<string, unknown>): Promise<number> {
  await esJson(url, "POST", `/${encodeURIComponent(index)}/_refresh`);
  const res = await esJson(url, "POST", `/${encodeURIComponent(index)}/_count`, query ? { query } : {});
  return res.count;
}

/** Every document ID in `index`, read with a scroll after a refresh. */
export async function readIds(url: string, index: string): Promise<Set<string>> {
  await esJson(url, "POST", `/${encodeURIComponent(index)}/_refresh`);
  const ids = new Set<string>();
  let res = await esJson(url, "POST", `/${encodeURIComponent(index)}/_search?scroll=1m`, {
    size: 5000,
    _source: false,
    sort: ["_doc"],
  });
  try {
    while (res.hits.hits.length > 0) {
      for (const hit of res.hits.hits) ids.add(hit._id);
      res = await esJson(url, "POST", "/_search/scroll", { scroll: "1m", scroll_id: res._scroll_id });
    }
  } finally {
    await esJson(url, "DELETE", "/_search/scroll", { scroll_id: [res._scroll_id] }).catch(() => undefined);
  }
  return ids;
}

/** Every document of `index` as id -> `_source`, read with a scroll after a refresh (for small test indices). */
export async function readSources(url: string, index: string): Promise<Map<string, unknown>> {
  await esJson(url, "POST", `/${encodeURIComponent(index)}/_refresh`);
  const docs = new Map<string, unknown>();
  let res = await esJson(url, "POST", `/${encodeURIComponent(index)}/_search?scroll=1m`, {
    size: 2000,
    sort: ["_doc"],
  });
  try {
    while (res.hits.hits.length > 0) {
      for (const hit of res.hits.hits) docs.set(hit._id, hit._source);
      res = await esJson(url, "POST", "/_search/scroll", { scroll: "1m", scroll_id: res._scroll_id });
    }
  } finally {
    await esJson(url, "DELETE", "/_search/scroll", { scroll_id: [res._scroll_id] }).catch(() => undefined);
  }
  return docs;
}
