// The options and the report of a scripted cutover (see ./cutover and docs/automation.md).
import type { Stack } from "@pulumi/pulumi/automation";
import type { ClusterConnection } from "../provider/connection/types";
import type { VerifyLevel } from "../provider/verify";

/** One migrated index the cutover freezes, checks and switches. */
export interface CutoverIndex {
  /** The source index the stack copies from: it gets `index.blocks.write: true` for the cutover. */
  sourceIndex: string;
  /** The destination index the stack copies into (the index, not an alias). */
  destIndex: string;
  /**
   * An alias on the destination to move to `destIndex` once the index verified: removed from every other index that
   * holds it and added here, in one `_aliases` call for all indices. Unset: no alias is moved for this index.
   */
  alias?: string;
  /**
   * The documents the copy covers, as a query on both sides (the Reindex's `source.query`). Default: every
   * document. Verification compares only what it matches.
   */
  query?: Record<string, unknown>;
}

/** What `cutover` and `planCutover` take. */
export interface CutoverOptions {
  /**
   * The Automation API stack whose program copies the indices (`LocalWorkspace.createOrSelectStack` / `selectStack`,
   * an inline program or a local one). The cutover runs its `preview` and `up` with the stack's own configuration.
   */
  stack: Stack;
  /** How this script reaches the source (blocks, counts, id scans), as in the program: `ClusterConnection`. */
  source: ClusterConnection;
  /** How this script reaches the destination (refresh, verification, aliases). */
  destination: ClusterConnection;
  /** The indices to cut over; at least one, each source and destination index once. */
  indices: CutoverIndex[];
  /**
   * How the destination is checked after the final `up`, before any alias moves: `"ids"` (default; both id sets
   * compared), `"content"` (each `_source` too) or `"count"` (document counts only). A destination that lacks a
   * source document, or holds one with other content, fails the cutover.
   */
  verify?: VerifyLevel;
  /**
   * Run catch-up `up`s before blocking writes, so the final copy (inside the freeze) only copies what arrived during
   * the last one. Default true; set false when the stack was just brought up to date.
   */
  catchUp?: boolean;
  /**
   * The most catch-up `up`s (default 3). After the first, another runs while the documents each one copied keep
   * shrinking and are more than `smallDelta`.
   */
  maxCatchUps?: number;
  /** Documents a catch-up may copy and still be the last one (default 1,000): a delta this small waits for the freeze. */
  smallDelta?: number;
  /**
   * The most documents the final copy may have to move for the cutover to block writes (default: no limit). Once the
   * catch-ups are done (or, with `catchUp: false`, at the start), a preview counts the documents waiting at the
   * source; above this the cutover stops with a CutoverError before blocking anything, since the write freeze lasts
   * about as long as the final copy. Set it when the application's writes may outpace the catch-ups.
   */
  maxFinalDelta?: number;
  /**
   * Leave the write block on the source indices after a successful cutover (default true: writers still pointed at
   * the source are refused instead of writing where nobody reads). Failures always lift the blocks the cutover put.
   */
  keepSourceBlocked?: boolean;
  /** Progress lines of the cutover itself ("blocking writes on ...", "final up: ..."). */
  onProgress?: (line: string) => void;
  /** The Pulumi CLI's output of the cutover's `preview` / `up` runs, as it streams. */
  onOutput?: (text: string) => void;
  /** Called after each phase (tests and scripts use it to act at a precise point, e.g. to write at the source). */
  onPhase?: (phase: CutoverPhase) => void | Promise<void>;
}

/**
 * The steps of a cutover, in order; `block` to `alias` is the write freeze. `finish` runs only when a MigratedIndex's
 * (or group member's) final copy is followed by its finish, `unblock` only when the blocks are lifted
 * (`keepSourceBlocked: false`), `record-up` only when the final copy ran outside the engine.
 */
export type CutoverPhase =
  "preflight" | "catch-up" | "block" | "final-copy" | "verify" | "finish" | "alias" | "unblock" | "record-up";

/** What a dry run found for one index. */
export interface PlannedIndex {
  sourceIndex: string;
  destIndex: string;
  /** Documents waiting at the source as the preview counted them (incremental copies); undefined when it reported none. */
  documentsWaiting?: number;
  /** The preview's lines about this index's copy ("reindex src -> dest: ..."). */
  previewLines: string[];
  /** Whether `source.index` is write-blocked already (the cutover would leave that block alone). */
  alreadyBlocked: boolean;
  /** The alias move, when `alias` is set: where it is now and whether anything would change. */
  alias?: { name: string; from: string[]; actions: object[] };
}

/** The result of `planCutover` (a dry run): what `cutover` would do, nothing blocked or moved. */
export interface CutoverPlan {
  indices: PlannedIndex[];
  /** The resources the preview would change (URN and operation), beyond "same". */
  changes: { urn: string; op: string }[];
  /** One line per step `cutover` would take. */
  steps: string[];
}

/** What the cutover did to one index. */
export interface CutoverIndexReport {
  sourceIndex: string;
  destIndex: string;
  /** Whether the cutover put the write block (false: it was already there and stays). */
  blockedByCutover: boolean;
  /** When the write block was acknowledged (ISO 8601). */
  blockedAt?: string;
  /** When the alias move was acknowledged (ISO 8601); undefined without an alias. */
  aliasMovedAt?: string;
  /** Milliseconds from the block to the alias move (or to the end of verification without an alias). */
  freezeMs?: number;
  /** Documents at the source and the destination when verified. */
  sourceCount?: number;
  destCount?: number;
  /** What verification found: ids missing at the destination, ids with other content, ids the source lacks. */
  missing?: number;
  differing?: number;
  extra?: number;
  /**
   * Who verified: "final-copy" when the copy's own verification in the final copy (at this level or stricter)
   * still stands - both sides' write marks unchanged since - so it was not repeated; "cutover" when the cutover
   * compared both sides itself.
   */
  verifiedBy?: "final-copy" | "cutover";
  /** What the final copy copied: documents created and updated at the destination (undefined: not known). */
  finalCopied?: number;
  /** The alias moved and the indices it left. */
  alias?: { name: string; from: string[] };
  /**
   * When the destination index was recorded as live (its mapping `_meta`): from then on no up, refresh or destroy
   * of the stack copies into it, repairs, deletes or changes it. Undefined when the record could not be written.
   */
  recordedAt?: string;
}

/** What `cutover` did, with the measured write-freeze window. */
export interface CutoverReport {
  verify: VerifyLevel;
  indices: CutoverIndexReport[];
  /** Milliseconds spent in each phase; `block` to `alias` is the freeze. */
  phases: Partial<Record<CutoverPhase, number>>;
  /** The longest per-index freeze, in milliseconds. */
  freezeMs: number;
  /** Whether the source indices are still write-blocked (`keepSourceBlocked`, or a record that could not be written). */
  sourceBlocked: boolean;
  /** Documents each catch-up `up` copied (all indices together), in order; undefined entries: not known. */
  catchUps: (number | undefined)[];
  /**
   * How the final copy ran: "library" (the package's own copy, in this process, the engine outside the freeze; the
   * `record-up` recorded it in the stack) or "up" (a `pulumi up` inside the freeze: some index's copy is not one
   * Reindex, MigratedIndex or group member that ran before, e.g. a SnapshotMigration's index).
   */
  finalCopyBy: "library" | "up";
  /** What the final `up` (finalCopyBy "up") or the recording `up` changed, by operation (Pulumi's summary). */
  stackChanges?: Record<string, number>;
  /**
   * False when the recording `up` failed: the cutover stands (aliases moved, destination recorded as live), the
   * stack's state still holds the copy's previous run; the next `up` plans nothing for it.
   */
  stackRecorded?: boolean;
}
