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

  /** Source documents the destination has not shown yet (what the comparison holds in memory for that side). */
  get unmatchedSourceCount(): number {
    return this.unmatchedSource.size;
  }

  addSource(docs: Iterable<DocRef>): void {
    this.sourceCount += this.add(
      docs,
      this.unmatchedSource,
      this.unmatchedDest,
      (mine, other) => differs(this.by, mine, other) && mine,
    );
  }

  addDest(docs: Iterable<DocRef>): void {
    this.destCount += this.add(
      docs,
      this.unmatchedDest,
      this.unmatchedSource,
      (mine, other) => differs(this.by, other, mine) && other,
    );
  }

  /**
   * Matches one side's documents against the other side's unmatched ones; `differing` returns the source's ref of a
   * pair that differs (what to copy again), or false. Returns how many documents it read.
   */
  private add(
    docs: Iterable<DocRef>,
    mine: Map<string, DocRef>,
    other: Map<string, DocRef>,
    differing: (mine: DocRef, other: DocRef) => DocRef | false,
  ): number {
    let read = 0;
    for (const doc of docs) {
      read++;
      const match = other.get(doc.id);
      if (match === undefined) mine.set(doc.id, doc);
      else {
        other.delete(doc.id);
        const source = differing(doc, match);
        if (source !== false) this.differing.push(source);
      }
    }
    return read;
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
