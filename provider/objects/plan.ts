// What a migration would do with each of the source's objects at the destination: one row per object (create,
// same, differs, cannot), and those rows as one block a preview prints, like an evaluate report.
import { bodyDifferences } from "./compare";
import { objectLabel, translateObject, type TranslationContext } from "./translate";
import { type ClusterObject, OBJECT_KINDS, type ObjectPlanRow, type PlanAction } from "./types";

/**
 * One row per source object, in the order they can be created (component templates before the composable templates
 * made of them, pipelines before aliases): `cannot` when the destination cannot hold it (with why), `create` when the
 * destination has no object of that name, `same` when it has one meaning the same, `differs` (and where) when it
 * has another one, which a migration never overwrites unless told to adopt it.
 */
export function planObjects(sourceObjects: readonly ClusterObject[], destinationObjects: readonly ClusterObject[], ctx: TranslationContext): ObjectPlanRow[] {
  const existing = new Map(destinationObjects.map((o) => [`${o.kind}\u0000${o.name}`, o]));
  const ordered = [...sourceObjects].sort((a, b) => OBJECT_KINDS.indexOf(a.kind) - OBJECT_KINDS.indexOf(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return ordered.map((obj) => {
    const t = translateObject(obj, ctx);
    const row: ObjectPlanRow = { kind: obj.kind, name: obj.name, action: "create" };
    if (t.cannot.length > 0) return { ...row, action: "cannot", reasons: t.cannot };
    row.body = t.body;
    if (obj.typeName !== undefined) row.typeName = obj.typeName;
    if (t.dropped.length > 0) row.dropped = t.dropped;
    const there = existing.get(`${obj.kind}\u0000${obj.name}`);
    if (there === undefined) return row;
    const differences = bodyDifferences(obj.kind, there.body, t.body);
    return differences.length === 0 ? { ...row, action: "same" } : { ...row, action: "differs", differences };
  });
}

const WORDS: Record<PlanAction, { mark: string; count: string }> = {
  create: { mark: "+ create ", count: "to create" },
  same: { mark: "= same   ", count: "the same" },
  differs: { mark: "~ differs", count: "differ" },
  cannot: { mark: "! cannot ", count: "cannot be copied" },
};

function rowDetail(row: ObjectPlanRow): string {
  switch (row.action) {
    case "create":
      return row.dropped !== undefined ? ` (leaving out ${row.dropped.join("; ")})` : "";
    case "same":
      return " (already at the destination)";
    case "differs":
      return `: the destination's differs in ${row.differences!.join(", ")}; it is never overwritten silently: adopt it (adoptExisting: true) to replace its body, or leave the kind out`;
    case "cannot":
      return `: ${row.reasons!.join("; ")}`;
  }
}

/** The rows as one readable block: a count line, then one line per object. */
export function describeObjectPlan(rows: readonly ObjectPlanRow[]): string {
  if (rows.length === 0) return "Cluster objects: none to copy";
  const counts = (Object.keys(WORDS) as PlanAction[])
    .map((a) => [a, rows.filter((r) => r.action === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} ${WORDS[a].count}`);
  const lines = rows.map((r) => `  ${WORDS[r.action].mark}  ${objectLabel(r)}${rowDetail(r)}`);
  return [`Cluster objects (${rows.length}): ${counts.join(", ")}`, ...lines].join("\n");
}
