// Reading the JSON the engines answer: an object is narrowed before its fields are read, so a missing or odd field
// is a value to handle rather than an exception.

/** A JSON object: not an array, not null. */
export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v);

/** A `_search` answer as filtered (`filter_path=hits.hits._id,...`): each hit has the fields asked for. */
export interface SearchHits<Hit> {
  hits?: { hits?: Hit[] };
}
