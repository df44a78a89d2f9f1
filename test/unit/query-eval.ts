import type { Query } from "../../provider/reindex/queries";

// A tiny evaluator of the queries provider/reindex writes, to check coverage and disjointness on sample documents
// in unit tests (match_all, exists, range, bool, term). A null value is missing, as the engines index it.
export function matches(q: Query, doc: Record<string, number | null | undefined>): boolean {
  const [kind, spec] = Object.entries(q)[0] as [string, any];
  if (kind === "match_all") return true;
  if (kind === "exists") return doc[spec.field] != null;
  if (kind === "range") {
    const [field, b] = Object.entries(spec)[0] as [string, any];
    const v = doc[field];
    if (v == null) return false;
    return (
      (b.gt === undefined || v > b.gt) &&
      (b.gte === undefined || v >= b.gte) &&
      (b.lt === undefined || v < b.lt) &&
      (b.lte === undefined || v <= b.lte)
    );
  }
  if (kind === "bool") {
    const all = (xs: Query[] | undefined) => (xs ?? []).every((x) => matches(x, doc));
    const should = spec.should as Query[] | undefined;
    return (
      all(spec.filter) &&
      !(spec.must_not ?? []).some((x: Query) => matches(x, doc)) &&
      (should === undefined || should.some((x) => matches(x, doc)))
    );
  }
  if (kind === "term") return Object.entries(spec).every(([f, v]) => doc[f] === v);
  throw new Error(`unexpected query ${kind}`);
}
