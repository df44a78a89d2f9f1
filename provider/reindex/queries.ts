// Pure query building: what each mode copies, the watermark window of an incremental run, and the disjoint
// ranges of a partitioned run. Table-tested in test/unit/reindex-queries.test.ts.
import type { Cursor } from "./cursor";
import type { ReindexInputs, ReindexMode } from "./types";

export type { Cursor } from "./cursor";

export type Query = Record<string, unknown>;

/** All documents matching every part (undefined parts left out); `match_all` when nothing narrows. */
export function andQuery(...parts: (Query | undefined)[]): Query {
  const defined = parts.filter((p): p is Query => p !== undefined);
  if (defined.length === 0) return { match_all: {} };
  if (defined.length === 1) return defined[0];
  return { bool: { filter: defined } };
}

export function missingFieldQuery(field: string): Query {
  return { bool: { must_not: [{ exists: { field } }] } };
}

/** `field` within the bounds given; `format` makes epoch-millisecond numbers unambiguous on date fields. */
export function rangeQuery(
  field: string,
  bounds: { gt?: number; gte?: number; lt?: number; lte?: number },
  date: boolean,
): Query {
  const spec: Record<string, unknown> = { ...bounds };
  if (date) spec.format = "epoch_millis";
  return { range: { [field]: spec } };
}

/**
 * What a full or missingField run copies: the user's query, plus for `missingField` the documents without the
 * field. (An incremental run copies a window: ./window.)
 */
export function runQuery(mode: ReindexMode, userQuery: Query | undefined): Query {
  if (mode.type === "missingField") return andQuery(userQuery, missingFieldQuery(mode.field));
  return andQuery(userQuery);
}

export interface PartitionPlan {
  query: Query;
  label: string;
}

function show(v: number, date: boolean): string {
  return date ? new Date(v).toISOString() : String(v);
}

/** The range of the field a partitioned run splits: min and max, and where its values are dense (`cuts`). */
export interface PartitionRange {
  min: number;
  max: number;
  date: boolean;
  /**
   * Values that split the documents into parts of equal depth (the field's percentiles at 100/count, 200/count, ...).
   * Without them the range is cut into parts of equal width.
   */
  cuts?: number[];
}

/** The percents whose values split a field into `count` parts of equal depth, e.g. 4 -> [25, 50, 75]. Pure. */
export function depthPercents(count: number): number[] {
  return Array.from({ length: Math.max(0, count - 1) }, (_, i) => (100 * (i + 1)) / count);
}

/**
 * The values of a `percentiles` aggregation in ascending order of percent, whatever shape the engine gave them
 * (keyed, the default: `{ "25.0": v, "25.0_as_string": "..." }`; or a list of `{ key, value }`). Values that are
 * not finite (no document has the field) are left out. Pure.
 */
export function percentileValues(agg: { values?: unknown } | undefined): number[] {
  const values = agg?.values;
  let pairs: [number, unknown][] = [];
  if (Array.isArray(values)) pairs = values.map((v: { key?: unknown; value?: unknown }) => [Number(v?.key), v?.value]);
  else if (values !== null && typeof values === "object")
    pairs = Object.entries(values as Record<string, unknown>).map(([k, v]) => [Number(k), v]);
  return pairs
    .filter(([k, v]) => Number.isFinite(k) && typeof v === "number" && Number.isFinite(v))
    .sort((a, b) => a[0] - b[0])
    .map(([, v]) => v as number);
}

/** Bounds strictly inside (min, max], ascending and distinct; integers when the field's values are integers. */
function rangeBounds(count: number, range: PartitionRange): number[] {
  const { min, max } = range;
  const integral = range.date || (Number.isInteger(min) && Number.isInteger(max));
  const raw =
    range.cuts !== undefined && range.cuts.length > 0
      ? range.cuts.map((c) => (integral ? Math.ceil(c) : c))
      : Array.from({ length: count - 1 }, (_, k) => {
          const i = k + 1;
          return integral ? min + Math.floor((i * (max - min + 1)) / count) : min + (i * (max - min)) / count;
        });
  return [...new Set(raw.filter((b) => b > min && b <= max))].sort((a, b) => a - b);
}

/**
 * Splits `base` into `count` disjoint queries over ranges of `field` between `min` and `max` (read from the source).
 * With `cuts` (the field's percentiles) the parts hold about as many documents each (equal depth); without them
 * the range is cut into equal widths. The first range is open below and also takes the documents without the
 * field; the last is open above and takes documents written after the range was read. Together they cover every
 * document `base` matches, each exactly once, whatever the bounds. Integer bounds when min and max are integers
 * (so long fields split cleanly); fewer partitions when the values are too few to split. No min/max (no document
 * has the field) gives one partition.
 */
export function partitionQueries(
  base: Query,
  field: string,
  count: number,
  range: PartitionRange | undefined,
): PartitionPlan[] {
  if (range === undefined || count <= 1 || range.max <= range.min) return [{ query: base, label: "all documents" }];
  const { date } = range;
  const bounds = rangeBounds(count, range);
  if (bounds.length === 0) return [{ query: base, label: "all documents" }];
  const plans: PartitionPlan[] = [];
  plans.push({
    query: andQuery(base, {
      bool: { should: [rangeQuery(field, { lt: bounds[0] }, date), missingFieldQuery(field)], minimum_should_match: 1 },
    }),
    label: `${field} < ${show(bounds[0], date)} or missing`,
  });
  for (let i = 1; i < bounds.length; i++) {
    plans.push({
      query: andQuery(base, rangeQuery(field, { gte: bounds[i - 1], lt: bounds[i] }, date)),
      label: `${field} in [${show(bounds[i - 1], date)}, ${show(bounds[i], date)})`,
    });
  }
  const last = bounds[bounds.length - 1];
  plans.push({
    query: andQuery(base, rangeQuery(field, { gte: last }, date)),
    label: `${field} >= ${show(last, date)}`,
  });
  return plans;
}

/** Reads a min/max aggregation result into a Cursor; undefined when no document has the field. */
export function cursorFromAgg(
  agg: { value?: number | null; value_as_string?: string } | undefined,
): Cursor | undefined {
  if (agg === undefined || agg.value === null || agg.value === undefined || !Number.isFinite(agg.value))
    return undefined;
  return agg.value_as_string !== undefined
    ? { value: agg.value, text: agg.value_as_string, date: true }
    : { value: agg.value, date: false };
}

/**
 * The documents a copy is answerable for, on either side: what verification compares. Full and incremental: every
 * document the user's query matches (an incremental copy's windows plus the verification's repairs bring each
 * one over, with the field or without it); missingField: the documents without the field.
 */
export function scopeQuery(inputs: Pick<ReindexInputs, "mode" | "source">): Query {
  if (inputs.mode.type === "incremental") return andQuery(inputs.source.query);
  return runQuery(inputs.mode, inputs.source.query);
}

/**
 * Documents strictly past a watermark. Kept for state written by 0.1.0, whose stored provider text counts the
 * waiting documents with it (docs/state-and-upgrades.md); this release counts a look-back window (./pending).
 */
export function waitingQuery(field: string, userQuery: Query | undefined, watermark: Cursor): Query {
  return andQuery(userQuery, rangeQuery(field, { gt: watermark.value }, watermark.date));
}
