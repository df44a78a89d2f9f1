// Pure decisions of ClusterMigration about data streams: which of the source's streams it migrates, each stream's
// copy options (the defaults' and the stream's override, incremental on the stream's timestamp field), the line
// preview prints, and a stream's summary row. Table-tested in test/unit/data-stream.test.ts.
import type { SourceDataStream } from "../../provider/indices";
import type { ClusterMigrationArgs, IndexMigrationOverride, IndexMigrationSummary } from "./types";

/** Copy options that apply to a data stream as to an index; the others (settings, partitions, alias, ...) do not. */
const STREAM_COPY_OPTIONS = [
  "transport",
  "query",
  "size",
  "requestsPerSecond",
  "timeout",
  "verify",
  "deletes",
  "maxDeletePercent",
  "scroll",
] as const;

export interface PlannedDataStream {
  name: string;
  template: string;
  timestampField: string;
  docs: number;
  /** Reindex options: the defaults' and the override's copy options, incremental on the timestamp field. */
  copy: Record<string, unknown>;
  adoptExisting?: boolean;
}

export interface DataStreamPlan {
  streams: PlannedDataStream[];
  /** Streams listed but not migrated (`objects: { dataStreams: false }`). */
  left: string[];
}

/** Whether ClusterMigration migrates data streams: `objects.dataStreams`, default true. */
export function dataStreamsOn(args: Pick<ClusterMigrationArgs, "objects">): boolean {
  return args.objects?.dataStreams !== false;
}

/** The look-back of a mode option, when it is an incremental one written out (not an Output). */
function lookbackOf(mode: unknown): string | number | undefined {
  const m = mode as { type?: unknown; lookback?: unknown } | undefined;
  return m?.type === "incremental" && (typeof m.lookback === "string" || typeof m.lookback === "number")
    ? m.lookback
    : undefined;
}

/** Which streams become a DataStream and its copy, with what options. Pure. */
export function planDataStreams(
  streams: SourceDataStream[],
  args: Pick<ClusterMigrationArgs, "defaults" | "overrides" | "objects">,
): DataStreamPlan {
  if (!dataStreamsOn(args)) return { streams: [], left: streams.map((s) => s.name) };
  const planned = streams.map((s) => {
    const o: IndexMigrationOverride = { ...(args.defaults ?? {}), ...(args.overrides?.[s.name] ?? {}) };
    const copy: Record<string, unknown> = {};
    for (const k of STREAM_COPY_OPTIONS) if (o[k] !== undefined) copy[k] = o[k];
    const lookback = lookbackOf(o.mode);
    // A stream's documents are appended with their time: windows on it, whatever mode the indices use.
    copy.mode = { type: "incremental", field: s.timestampField, ...(lookback !== undefined ? { lookback } : {}) };
    const p: PlannedDataStream = {
      name: s.name,
      template: s.template,
      timestampField: s.timestampField,
      docs: s.docs,
      copy,
    };
    if (o.adoptExisting !== undefined) p.adoptExisting = o.adoptExisting as boolean;
    return p;
  });
  return { streams: planned, left: [] };
}

/**
 * Whether a stream's template is declared by the cluster objects (an IndexTemplate child): then that child owns it
 * and the stream's DataStream is created from it without putting it (one resource per object). Pure.
 */
export function templateOwnedByObjects(
  stream: Pick<PlannedDataStream, "template">,
  declaredIndexTemplates: ReadonlySet<string>,
): boolean {
  return declaredIndexTemplates.has(stream.template);
}

/** The line preview and up print for a ClusterMigration's data streams; undefined when the source has none. */
export function describeDataStreams(name: string, plan: DataStreamPlan): string | undefined {
  const fmt = (x: number) => x.toLocaleString("en-US");
  if (plan.left.length > 0)
    return `ClusterMigration "${name}": data streams left out (objects.dataStreams is false): ${plan.left.join(", ")}`;
  const n = plan.streams.length;
  if (n === 0) return undefined;
  const total = plan.streams.reduce((s, d) => s + d.docs, 0);
  const list = plan.streams
    .map((s) => `${s.name} (${fmt(s.docs)}, template ${s.template}, windows on ${s.timestampField})`)
    .join(", ");
  return `ClusterMigration "${name}": ${n} data ${n === 1 ? "stream" : "streams"}, ${fmt(total)} documents at the source: ${list}`;
}

/** What a data stream's copy reports, as a Reindex's outputs hold it. */
export interface StreamCopyOutputs {
  status?: "complete" | "failed";
  created?: number;
  updated?: number;
  durationSeconds?: number;
  sourceCount?: number;
  destCount?: number;
  watermark?: number | string;
  verification?: { level: string; sourceCount: number; destCount: number } | null;
}

/** A data stream's row of ClusterMigration.summary: verified when its last run completed and checked the stream. Pure. */
export function dataStreamRow(
  stream: string,
  uuid: string | undefined,
  c: StreamCopyOutputs,
): IndexMigrationSummary & { dataStream: true } {
  const created = c.created ?? 0;
  const updated = c.updated ?? 0;
  const durationSeconds = c.durationSeconds ?? 0;
  const v = c.verification ?? undefined;
  const verified = c.status === "complete" && v !== undefined && (v.level !== "count" || v.destCount >= v.sourceCount);
  return {
    index: stream,
    destIndex: stream,
    uuid: uuid ?? "",
    sourceCount: c.sourceCount ?? null,
    destCount: c.destCount ?? 0,
    created,
    updated,
    durationSeconds,
    docsPerSecond: durationSeconds > 0 ? Math.round((created + updated) / durationSeconds) : 0,
    verified,
    watermark: c.watermark ?? null,
    dataStream: true,
  };
}
