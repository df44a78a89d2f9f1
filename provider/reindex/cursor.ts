// A module of its own so that queries.ts and types.ts both use it without importing each other.
/** A value of the mode's or partitions' field as the engine reported it: `value` for ranges, `text` for people. */
export interface Cursor {
  /** Numeric value (epoch milliseconds for dates). */
  value: number;
  /** The engine's formatted value (`value_as_string`), present for dates. */
  text?: string;
  /** A date field: ranges are written in epoch milliseconds with `format: "epoch_millis"`. */
  date: boolean;
}
