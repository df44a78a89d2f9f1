// From search hits to `_bulk` bodies: one action and source line pair per document, grouped into batches bounded
// by documents and by bytes. Pure.
import type { Hit } from "./types";

/** How documents are addressed on the destination. */
export interface ActionShape {
  opType: "index" | "create";
  /**
   * Mapping type for a 6.x destination (which requires one): the hit's own `_type` when `keepSourceType`, else this.
   * Undefined for 7+ destinations: `_type` is dropped.
   */
  destType?: string;
  keepSourceType?: boolean;
  /** Write each document with the source's `_version` (`version_type: external`): never over a newer one. */
  externalVersion?: boolean;
}

/** A group of documents for one `_bulk` request: `lines[i]` is document i's "action\nsource\n". */
export interface Batch {
  ids: string[];
  lines: string[];
  bytes: number;
}

/** The NDJSON of one document ("action\nsource\n"), or a reason it cannot be copied. */
export function documentLines(hit: Hit, shape: ActionShape): { text: string } | { error: string } {
  if (hit._source === undefined)
    return { error: `document ${hit._id}: no _source at the source (the index disables _source); it cannot be copied` };
  const meta: Record<string, string | number> = { _id: hit._id };
  if (shape.destType !== undefined)
    meta._type = shape.keepSourceType && hit._type !== undefined ? hit._type : shape.destType;
  if (hit._routing !== undefined) meta.routing = hit._routing;
  if (shape.externalVersion === true) {
    if (hit._version === undefined)
      return { error: `document ${hit._id}: the source sent no _version to write it with external versioning` };
    Object.assign(meta, { version: hit._version, version_type: "external" });
  }
  return { text: `${JSON.stringify({ [shape.opType]: meta })}\n${JSON.stringify(hit._source)}\n` };
}

export function emptyBatch(): Batch {
  return { ids: [], lines: [], bytes: 0 };
}

/** The `_bulk` request body of a batch. */
export function bulkBody(batch: Batch): string {
  return batch.lines.join("");
}

/** The documents of `batch` at `positions`, as a batch of their own (to send rejected ones again). */
export function pick(batch: Batch, positions: number[]): Batch {
  const out = emptyBatch();
  for (const i of positions) {
    out.ids.push(batch.ids[i]);
    out.lines.push(batch.lines[i]);
    out.bytes += Buffer.byteLength(batch.lines[i]);
  }
  return out;
}

/**
 * Collects documents into batches of at most `maxDocs` documents and `maxBytes` bytes (UTF-8). A document larger
 * than `maxBytes` is a batch of its own: it cannot be split, and the engine's `http.max_content_length` decides.
 */
export class Batcher {
  private current = emptyBatch();

  constructor(
    private readonly maxDocs: number,
    private readonly maxBytes: number,
  ) {
    if (!(maxDocs >= 1) || !(maxBytes >= 1))
      throw new Error(`bulk limits must be >= 1 (documents ${maxDocs}, bytes ${maxBytes})`);
  }

  /** Adds one document; returns the batches that are full as a result (zero, one, or two for an oversized one). */
  add(id: string, text: string): Batch[] {
    const bytes = Buffer.byteLength(text);
    const full: Batch[] = [];
    if (this.current.lines.length > 0 && this.current.bytes + bytes > this.maxBytes) full.push(this.take());
    this.current.ids.push(id);
    this.current.lines.push(text);
    this.current.bytes += bytes;
    if (this.current.lines.length >= this.maxDocs || this.current.bytes >= this.maxBytes) full.push(this.take());
    return full;
  }

  /** The partial batch left, if any (at the end of a reader). */
  flush(): Batch | undefined {
    return this.current.lines.length > 0 ? this.take() : undefined;
  }

  private take(): Batch {
    const b = this.current;
    this.current = emptyBatch();
    return b;
  }
}
