// What the demo shows and its test asserts after each `pulumi up`: per index, documents on both sides and whether
// the destination holds exactly the source's document IDs; plus the summary table printed for the user.
import { countDocs, esJson, readIds } from "../../test/world/fixtures";

/** One index compared across the clusters. */
export interface IndexComparison {
  index: string;
  sourceCount: number;
  destCount: number;
  /** IDs at the source missing at the destination (a few, for messages). */
  missing: string[];
  /** IDs at the destination the source does not have. */
  extra: string[];
}

function difference(a: Set<string>, b: Set<string>, limit = 5): string[] {
  const out: string[] = [];
  for (const id of a) {
    if (!b.has(id)) out.push(id);
    if (out.length >= limit) break;
  }
  return out;
}

/** Counts and ID sets of `indices` on the source and the destination. */
export async function compareIndices(
  sourceUrl: string,
  destUrl: string,
  indices: string[],
): Promise<IndexComparison[]> {
  const rows: IndexComparison[] = [];
  for (const index of indices) {
    const [sourceIds, destIds] = await Promise.all([readIds(sourceUrl, index), readIds(destUrl, index)]);
    rows.push({
      index,
      sourceCount: await countDocs(sourceUrl, index),
      destCount: await countDocs(destUrl, index),
      missing: difference(sourceIds, destIds),
      extra: difference(destIds, sourceIds),
    });
  }
  return rows;
}

/** True when every index has the same documents (by ID) on both sides. */
export function allEqual(rows: IndexComparison[]): boolean {
  return rows.every((r) => r.sourceCount === r.destCount && r.missing.length === 0 && r.extra.length === 0);
}

/** Indices of a cluster whose names do not start with "." (what a user would call its data). */
export async function userIndices(url: string): Promise<string[]> {
  const rows: Array<{ index: string }> = await esJson(url, "GET", "/_cat/indices?format=json&h=index");
  return rows
    .map((r) => r.index)
    .filter((i) => !i.startsWith("."))
    .sort();
}

/** Snapshot of a cluster's user indices: name -> sorted IDs, to prove later that nothing changed. */
export async function snapshotIds(url: string): Promise<Map<string, string[]>> {
  const snapshot = new Map<string, string[]>();
  for (const index of await userIndices(url)) snapshot.set(index, [...(await readIds(url, index))].sort());
  return snapshot;
}

/** Renders rows of cells as an aligned text table with a header rule. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
