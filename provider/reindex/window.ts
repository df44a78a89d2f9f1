// Incremental windows: what a run copies and what preview counts. A window starts a look-back before the last
// watermark and has no upper end, so ties at the watermark, late arrivals within the look-back and future-dated
// documents are all inside it. The watermark itself never passes the present (a document dated 2099 would
// otherwise end incremental copying) and never moves back. Pure; table-tested in test/unit/reindex-window.test.ts.
import { andQuery, rangeQuery, type Cursor, type Query } from "./queries";
import { DEFAULT_LOOKBACK } from "./schema";

export { DEFAULT_LOOKBACK };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** Milliseconds of a duration such as "5m", "90s", "1h", "0s"; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m === null ? undefined : Number(m[1]) * UNIT_MS[m[2]];
}

/**
 * The look-back in the field's own units: a duration is milliseconds (date fields, and numeric fields holding epoch
 * milliseconds); a plain number is taken as it is (a numeric field in other units, e.g. epoch seconds).
 */
export function lookbackUnits(lookback: string | number): number {
  if (typeof lookback === "number") return lookback;
  const ms = parseDuration(lookback);
  if (ms === undefined) throw new Error(`lookback ${JSON.stringify(lookback)} is not a duration`);
  return ms;
}

/**
 * The watermark a complete run records: the largest value read at the source when the run started, but for a date
 * field never past the moment the run started, and never below the previous watermark. No value read (no document
 * has the field): the previous watermark stays.
 */
export function nextWatermark(
  previous: Cursor | undefined,
  maxSeen: Cursor | undefined,
  startedAt: number,
): Cursor | undefined {
  if (maxSeen === undefined) return previous;
  let next: Cursor = maxSeen;
  if (maxSeen.date && maxSeen.value > startedAt)
    next = { value: startedAt, text: new Date(startedAt).toISOString(), date: true };
  if (previous !== undefined && previous.value > next.value) return previous;
  return next;
}

/** Where the window after `watermark` starts: the look-back before it. Undefined (no watermark): everything. */
export function windowStart(watermark: Cursor | undefined, lookback: number): Cursor | undefined {
  if (watermark === undefined) return undefined;
  const value = watermark.value - lookback;
  return watermark.date ? { value, text: new Date(value).toISOString(), date: true } : { value, date: false };
}

/**
 * The documents of an incremental window: the user's query, and the field at or past `start` with no upper end.
 * Without a start (no watermark yet) every document, with the field or without it.
 */
export function windowQuery(field: string, userQuery: Query | undefined, start: Cursor | undefined): Query {
  if (start === undefined) return andQuery(userQuery);
  return andQuery(userQuery, rangeQuery(field, { gte: start.value }, start.date));
}

/** How a window reads for people, e.g. "update_time from 2026-11-30T10:55:00.000Z (watermark minus 5m)". */
export function windowLabel(field: string, start: Cursor | undefined, lookback: string | number): string {
  if (start === undefined) return "all documents (no watermark yet)";
  return `${field} from ${start.text ?? String(start.value)} (the watermark minus ${lookback})`;
}
