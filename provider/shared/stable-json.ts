// One way to compare JSON-like values whatever their key order (inputs against outputs, mapping fragments).

/** Deterministic JSON: object keys sorted at every depth, `undefined` members dropped as JSON.stringify drops them. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
