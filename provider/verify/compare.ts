// Comparing the documents of two sides by `_id`: which the destination lacks (missing), holds beyond the source
// (extra), or holds in another form (differing: an older version, or other content). Fed page by page from both
// sides in any order; each side's unmatched documents are kept until the other side shows them, so memory is
// about the documents not yet matched. Pure; table-tested in test/unit/verify-compare.test.ts.

/** One document as a comparison needs it. */
export interface DocRef {
  id: string;
  /** `_version` (with external versioning the destination holds the source's version). */
  version?: number;
  /** sourceHash of `_source`. */
  hash?: string;
  routing?: string;
  /** Mapping type of a 6.x index (needed to address the document there). */
  type?: string;
}

/**
 * What makes two documents with the same `_id` differ:
 * - "ids": nothing (presence only);
 * - "versions": the destination's version is lower than the source's (it holds an older write);
 * - "content": the `_source` hashes differ.
 */
export type CompareBy = "ids" | "versions" | "content";

export interface DocSetDiff {
  sourceCount: number;
  destCount: number;
  /** At the source, not at the destination. */
  missing: DocRef[];
  /** At the destination, not at the source (the destination's refs: routing and type to delete them). */
  extra: DocRef[];
  /** At both, differing by `by` (the source's refs: what to copy again). */
  differing: DocRef[];
}

export function differs(by: CompareBy, src: DocRef, dest: DocRef): boolean {
  if (by === "versions") return (dest.version ?? 0) < (src.version ?? 0);
  if (by === "content") return src.hash !== dest.hash;
  return false;
}

export class DocSetComparison {
  private readonly unmatchedSource = new Map<string, DocRef>();
  private readonly unmatchedDest = new Map<string, DocRef>();
  private readonly differing: DocRef[] = [];
  private sourceCount = 0;
  private destCount = 0;

  constructor(private readonly by: CompareBy) {}

  addSource(docs: Iterable<DocRef>): void {
    for (const doc of docs) {
      this.sourceCount++;
      const dest = this.unmatchedDest.get(doc.id);
      if (dest === undefined) this.unmatchedSource.set(doc.id, doc);
      else {
        this.unmatchedDest.delete(doc.id);
        if (differs(this.by, doc, dest)) this.differing.push(doc);
      }
    }
  }

  addDest(docs: Iterable<DocRef>): void {
    for (const doc of docs) {
      this.destCount++;
      const src = this.unmatchedSource.get(doc.id);
      if (src === undefined) this.unmatchedDest.set(doc.id, doc);
      else {
        this.unmatchedSource.delete(doc.id);
        if (differs(this.by, src, doc)) this.differing.push(src);
      }
    }
  }

  result(): DocSetDiff {
    return {
      sourceCount: this.sourceCount,
      destCount: this.destCount,
      missing: [...this.unmatchedSource.values()],
      extra: [...this.unmatchedDest.values()],
      differing: [...this.differing],
    };
  }
}
