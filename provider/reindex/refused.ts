// Documents the destination refuses (a field that does not fit its mapping, a pipeline that fails them, a document
// larger than it takes): a remote reindex task stops at the first page holding one, so left alone one such document
// stops the copy of everything after it. The copy sets each aside (its id left out of the next task of its
// partition, as oversize documents are), copies the rest, and records every one, with the engine's reason, in one
// index at the destination that anyone with read access can search: FAILED_DOCUMENTS_INDEX, one document per refused
// document (`_id` `<destination index>/<document id>`, so a document refused again is one record, not two). The run
// then fails naming the count: the partitions that held them are not done, so the next `pulumi up` copies them again
// (after the mapping, the pipeline or the document was fixed) and replaces the records with what still fails.
import { createHash } from "node:crypto";
import type { Cluster } from "../connection/types";
import type { FailureItem } from "./failures";

/** The index at the destination that holds the refused documents of every copy into that cluster. */
export const FAILED_DOCUMENTS_INDEX = "pulumi-es-migrate-failures";

/** At most this many refused documents a run sets aside and records (each travels in its partition's query). */
export const MAX_REFUSED = 10_000;

/** The longest reason kept per document (the engine's reason may quote a long field value). */
const MAX_REASON = 2_000;

const MAPPING = {
  settings: { number_of_shards: 1, auto_expand_replicas: "0-1" },
  mappings: {
    dynamic: "strict",
    properties: {
      index: { type: "keyword" },
      sourceIndex: { type: "keyword" },
      id: { type: "keyword" },
      type: { type: "keyword" },
      status: { type: "integer" },
      reason: { type: "text" },
      at: { type: "date" },
    },
  },
};

/** A record's `_id`: readable while it fits the engines' 512-byte limit, else a hash of it. Pure. */
export function recordId(destIndex: string, id: string): string {
  const plain = `${destIndex}/${id}`;
  return Buffer.byteLength(plain) <= 512 ? plain : `${destIndex.slice(0, 200)}/sha256:${hash(plain)}`;
}
const hash = (s: string) => createHash("sha256").update(s).digest("hex");

/** The refused documents by id (the last failure of each). Pure. */
export function byId(items: FailureItem[]): Map<string, FailureItem> {
  return new Map(items.filter((i) => i.id !== undefined).map((i) => [i.id!, i]));
}

/** How to find the records: the request a user runs. Pure. */
export function recordsQuery(destIndex: string): string {
  return `GET ${FAILED_DOCUMENTS_INDEX}/_search?q=index:${encodeURIComponent(destIndex)}&size=100`;
}

/** The run's error for refused documents, with the count by type. Pure. */
export function refusedMessage(what: string, destIndex: string, refused: FailureItem[], capped: boolean): string {
  const types = new Map<string, number>();
  for (const r of refused) types.set(r.type, (types.get(r.type) ?? 0) + 1);
  const listed = [...types].map(([t, n]) => `${n.toLocaleString("en-US")} ${t}`).join(", ");
  const first = refused[0];
  return (
    `${what}: ${refused.length.toLocaleString("en-US")} document(s) refused by the destination (${listed}), e.g. document ${first.id}: ${first.reason ?? first.type}. ` +
    `The other documents were copied. Every refused one is recorded with its id and the engine's reason in the index ${FAILED_DOCUMENTS_INDEX} ` +
    `at the destination (${recordsQuery(destIndex)})` +
    (capped
      ? `; this run stopped setting documents aside at ${MAX_REFUSED.toLocaleString("en-US")}, so more may wait`
      : "") +
    `. Fix the cause (the destination's mapping or pipeline, or the documents at the source), then run pulumi up: it copies them again, and the copy verifies only once none is refused`
  );
}

/** Replaces the records of `destIndex` with `refused` (none: the records are removed; no index made for nothing). */
export async function recordRefused(
  dest: Cluster,
  destIndex: string,
  sourceIndex: string,
  refused: FailureItem[],
): Promise<void> {
  const at = new Date().toISOString();
  const exists =
    (await dest.request<boolean>({ method: "HEAD", path: `/${FAILED_DOCUMENTS_INDEX}`, ignore: [404] })) === true;
  if (exists)
    await dest.request({
      method: "POST",
      path: `/${FAILED_DOCUMENTS_INDEX}/_delete_by_query`,
      querystring: { refresh: true, conflicts: "proceed" },
      body: { query: { term: { index: destIndex } } },
      idempotent: true,
    });
  if (refused.length === 0) return;
  if (!exists)
    await dest.request({
      method: "PUT",
      path: `/${FAILED_DOCUMENTS_INDEX}`,
      body: MAPPING,
      // Made meanwhile by another copy into this cluster: as good.
      ignore: [400],
    });
  const lines = refused.flatMap((r) => [
    { index: { _index: FAILED_DOCUMENTS_INDEX, _id: recordId(destIndex, r.id!) } },
    {
      index: destIndex,
      sourceIndex,
      id: r.id,
      type: r.type,
      ...(r.status !== undefined ? { status: r.status } : {}),
      reason: (r.reason ?? r.type).slice(0, MAX_REASON),
      at,
    },
  ]);
  for (let i = 0; i < lines.length; i += 2_000) {
    const res = await dest.request<{ errors?: boolean; items?: { index?: { error?: unknown } }[] }>({
      method: "POST",
      path: "/_bulk",
      querystring: { refresh: true },
      body: lines.slice(i, i + 2_000),
      idempotent: true,
    });
    if (res?.errors) {
      const bad = res.items?.find((it) => it.index?.error)?.index?.error;
      throw new Error(`recording the refused documents in ${FAILED_DOCUMENTS_INDEX} failed: ${JSON.stringify(bad)}`);
    }
  }
}
