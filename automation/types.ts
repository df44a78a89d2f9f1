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
   * Run an `up` before blocking writes, so the final `up` (inside the freeze) only copies what arrived during the
   * catch-up. Default true; set false when the stack was just brought up to date.
   */
  catchUp?: boolean;
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

/** The steps of a cutover, in order. */
export type CutoverPhase = "preflight" | "catch-up" | "block" | "final-up" | "verify" | "alias";

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
   * Who verified: "final-up" when the copy's own verification in the final `up` (at this level or stricter) still
   * stands - both sides' write marks unchanged since - so it was not repeated; "cutover" when the cutover compared
   * both sides itself.
   */
  verifiedBy?: "final-up" | "cutover";
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
  /** What the cutover's `up` runs changed, by operation (Pulumi's summary). */
  finalUpChanges?: Record<string, number>;
}
