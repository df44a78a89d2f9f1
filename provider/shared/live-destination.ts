// When the destination became the live index. A migration is cut over once `cutover()` (pulumi-es-migrate/automation)
// or the program (`phase: "cutover-done"`) recorded it: from then on no up, refresh or destroy writes to the
// destination on the copy's behalf (no copy, repair, reconcile, settings change, finish or alias move), and removing
// the resources leaves the index. The record lives in the state and, so that a run without that state sees it too,
// in the destination index's mapping `_meta` under one key of ours. A cutover done by hand (the source write-blocked,
// nothing recorded) is guarded as well: the copy stops rather than delete or revert what the application wrote at
// the destination. The decisions are pure (table-tested in test/unit/live-destination.test.ts); the reads and the
// one write (the record) are below them.
import type { Cluster } from "../connection/types";
import { isObject, type JsonObject } from "./json";
import { compareIndices, firstIds, tryReadWriteMarks, writesSince, type DocRef, type WriteMarks } from "../verify";

/** Where a migration is: "sync" (every up copies what changed) or "cutover-done" (the destination is live). */
export const PHASES = ["sync", "cutover-done"] as const;
export type Phase = (typeof PHASES)[number];

/** Our one key in a destination index's mapping `_meta`. */
export const META_KEY = "pulumi-es-migrate";

/** That the destination index is live: when, and who recorded it ("cutover": cutover(); "phase": the program). */
export interface CutoverRecord {
  at: string;
  by: "cutover" | "phase";
}

/**
 * Set by cutover() for its final `up` only: the destination indices (JSON list of names) whose copy runs while
 * cutover() itself holds the source's write block. Read by the providers that `up` starts.
 */
export const FINAL_COPY_ENV = "PULUMI_ES_MIGRATE_FINAL_COPY";

/** What a provider knows when it is about to write to a destination index on the copy's behalf. */
export interface GuardFacts {
  /** The record in the state or in the index's `_meta`. */
  recorded?: CutoverRecord;
  /** The program's phase. */
  phase?: Phase;
  /** The source index's write block (`index.blocks.write` or `index.blocks.read_only`), when it has one. */
  sourceBlock?: string;
  /** This up is cutover()'s own final copy of this index (it holds the block). */
  finalCopy?: boolean;
  /** Writes at the destination the copy did not make since its last run (undefined: not known). */
  foreignWrites?: number;
}

/**
 * What the operation does: "run" as usual; "record" only records the cutover (state and `_meta`), nothing else;
 * "leave" does nothing at all (a delete leaves the index); "stop" fails, changing nothing.
 */
export type GuardAction = "run" | "record" | "leave" | "stop";

/**
 * The decision for an operation that writes to the destination ("write": copy, repair, reconcile, settings, finish,
 * alias) or deletes the index ("delete"). A frozen source without a record stops a write only when someone else wrote
 * to the destination (those are the writes a copy would delete or revert), and any delete. Pure.
 */
export function guardAction(op: "write" | "delete", f: GuardFacts): GuardAction {
  if (f.recorded !== undefined) return "leave";
  if (f.phase === "cutover-done") return op === "delete" ? "leave" : "record";
  if (f.sourceBlock === undefined || f.finalCopy === true) return "run";
  if (op === "delete") return "stop";
  return (f.foreignWrites ?? 1) > 0 ? "stop" : "run";
}

/** The problem with a `phase` input, or undefined. Pure. */
export function phaseProblem(value: unknown): string | undefined {
  if (value === undefined || (PHASES as readonly unknown[]).includes(value)) return undefined;
  return `phase must be "sync" (the default: every up copies what changed) or "cutover-done" (the destination is live: nothing is copied, repaired, deleted or changed anymore), got ${JSON.stringify(value)}`;
}

/** The line preview and up print for a cut-over index (`tail`: what no longer happens). Pure. */
export function liveLine(what: string, r: CutoverRecord, tail = "this copy no longer runs"): string {
  return `${what}: cut over at ${r.at}: the destination is live, ${tail}`;
}

/** liveLine's tail for the destination index itself. */
export const INDEX_TAIL = "nothing changes it anymore and removing it from the program leaves it";

/** The line of the up that records a cutover from the program's phase. Pure. */
export function recordLine(what: string): string {
  return `${what}: phase "cutover-done": this up records the cutover (in the state and the index's mapping _meta) and changes nothing else; from then on the destination is live and the migration no longer writes to it`;
}

/** A record of the program's phase, made now. */
export const phaseRecord = (): CutoverRecord => ({ at: new Date().toISOString(), by: "phase" });

/** Our record in a mapping's `_meta` (a typeless mapping, or a 6.x mapping's types), else undefined. Pure. */
export function recordOf(mappings: unknown): CutoverRecord | undefined {
  if (!isObject(mappings)) return undefined;
  const ours = isObject(mappings._meta) ? mappings._meta[META_KEY] : undefined;
  if (isObject(ours) && typeof ours.cutoverAt === "string")
    return { at: ours.cutoverAt, by: ours.by === "phase" ? "phase" : "cutover" };
  for (const typed of Object.values(mappings)) {
    const r = isObject(typed) && isObject(typed._meta) ? recordOf(typed) : undefined;
    if (r !== undefined) return r;
  }
  return undefined;
}

/**
 * A mapping without our key in `_meta` (and without `_meta` when that was all it held): what the index's settings
 * and mappings are compared with, so the record never shows as drift and a copied mapping never carries it. Pure.
 */
export function withoutRecord<T>(mappings: T): T {
  if (!isObject(mappings) || !isObject(mappings._meta) || !(META_KEY in mappings._meta)) return mappings;
  const { [META_KEY]: _ours, ...rest } = mappings._meta;
  const { _meta: _old, ...others } = mappings;
  return (Object.keys(rest).length > 0 ? { ...others, _meta: rest } : others) as T;
}

/** The earlier of two records (the index went live once). Pure. */
export function earlier(a: CutoverRecord | undefined, b: CutoverRecord | undefined): CutoverRecord | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return a.at <= b.at ? a : b;
}

/** Whether `destIndex`'s copy runs in cutover()'s final `up` (FINAL_COPY_ENV). */
export function inFinalCopy(destIndex: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env[FINAL_COPY_ENV];
  if (raw === undefined || raw === "") return false;
  try {
    const list = JSON.parse(raw);
    return Array.isArray(list) && list.includes(destIndex);
  } catch {
    return false;
  }
}

const mappingPath = (index: string) => `/${encodeURIComponent(index)}/_mapping`;

/** The record in `index`'s mapping `_meta`, or undefined (no record, or no such index). */
export async function readRecord(dest: Cluster, index: string): Promise<CutoverRecord | undefined> {
  const res = await dest.request<Record<string, { mappings?: unknown }> | undefined>({
    method: "GET",
    path: mappingPath(index),
    ignore: [404],
    idempotent: true,
  });
  return recordOf(res?.[index]?.mappings);
}

/**
 * Writes the record into `index`'s mapping `_meta` (the other `_meta` keys kept: a `_meta` update replaces the whole
 * object), unless one is there already; returns the record that stands. Undefined when the index does not exist.
 */
export async function writeRecord(
  dest: Cluster,
  index: string,
  record: CutoverRecord,
): Promise<CutoverRecord | undefined> {
  const res = await dest.request<Record<string, { mappings?: JsonObject }> | undefined>({
    method: "GET",
    path: mappingPath(index),
    ignore: [404],
    idempotent: true,
  });
  const mappings = res?.[index]?.mappings;
  if (mappings === undefined) return undefined;
  const there = recordOf(mappings);
  if (there !== undefined) return there;
  // A 6.x index answers with its one type: the record goes into that type's mapping.
  const typeName =
    "properties" in mappings || "_meta" in mappings || Object.keys(mappings).length === 0
      ? undefined
      : Object.keys(mappings).find((t) => t !== "_default_");
  const root = typeName === undefined ? mappings : mappings[typeName];
  const meta: JsonObject = isObject(root) && isObject(root._meta) ? root._meta : {};
  // Our key may hold more than the record (the index's origin, ../destination-index/origin): kept.
  const ours = { ...(isObject(meta[META_KEY]) ? meta[META_KEY] : {}), cutoverAt: record.at, by: record.by };
  await dest.request({
    method: "PUT",
    path: typeName === undefined ? mappingPath(index) : `${mappingPath(index)}/${encodeURIComponent(typeName)}`,
    body: { _meta: { ...meta, [META_KEY]: ours } },
    idempotent: true,
  });
  return record;
}

/** The write block on `index` at the source (any index a pattern or alias names), as its setting's name; else undefined. */
export async function sourceWriteBlock(src: Cluster, index: string): Promise<string | undefined> {
  const res = await src.request<Record<string, { settings?: Record<string, unknown> }> | undefined>({
    method: "GET",
    path: `/${encodeURIComponent(index)}/_settings/index.blocks.*`,
    querystring: { flat_settings: true },
    ignore: [404],
    idempotent: true,
  });
  for (const [name, body] of Object.entries(res ?? {})) {
    for (const key of ["index.blocks.write", "index.blocks.read_only"])
      if (String(body?.settings?.[key]) === "true") return `${key} on ${name}`;
  }
  return undefined;
}

/** What someone else wrote at the destination, as a comparison with the frozen source finds it. */
export interface DestinationWrites {
  /** Documents only at the destination (created there). */
  created: string[];
  createdCount: number;
  /** Documents with other content than the source (changed there). */
  changed: string[];
  changedCount: number;
  /** Source documents the destination no longer holds (deleted there, or never copied). */
  missing: string[];
  missingCount: number;
}

/** Compares the destination with the frozen source, content included (only when a copy is about to be stopped). */
export async function destinationWrites(
  src: Cluster,
  dest: Cluster,
  sourceIndex: string,
  destIndex: string,
  query: Record<string, unknown>,
): Promise<DestinationWrites> {
  const d = await compareIndices(src, dest, { sourceIndex, destIndex, query, level: "content" });
  const first = (refs: DocRef[]) => firstIds([...refs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  return {
    created: first(d.extra),
    createdCount: d.extra.length,
    changed: first(d.differing),
    changedCount: d.differing.length,
    missing: first(d.missing),
    missingCount: d.missing.length,
  };
}

/**
 * Writes at the destination the copy did not make since its last run: from the write marks the last run left (one
 * `_stats` read), else from a comparison with the source (documents created or changed there). Zero for an empty index.
 */
export async function foreignWrites(
  src: Cluster,
  dest: Cluster,
  c: { sourceIndex: string; destIndex: string; query: Record<string, unknown>; destMarks?: WriteMarks },
): Promise<number> {
  if (c.destMarks !== undefined) {
    const now = await tryReadWriteMarks(dest, c.destIndex);
    const since = now === undefined ? undefined : writesSince(c.destMarks, now);
    if (since !== undefined) return since;
  }
  // A first copy into a new (empty) index: nothing at the destination to lose, and no need to read the source.
  const held = await dest.request<{ count?: number } | undefined>({
    method: "POST",
    path: `/${encodeURIComponent(c.destIndex)}/_count`,
    ignore: [404],
    idempotent: true,
  });
  if ((held?.count ?? 0) === 0) return 0;
  const found = await destinationWrites(src, dest, c.sourceIndex, c.destIndex, c.query);
  return found.createdCount + found.changedCount;
}

const n = (x: number) => x.toLocaleString("en-US");
const first = (ids: string[]) => (ids.length > 0 ? ` (first: ${ids.join(", ")})` : "");

/** A copy stopped by a frozen source with writes at the destination (see frozenSourceMessage). */
export class FrozenSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FrozenSourceError";
  }
}

/**
 * A diff's read of the record that failed (a destination not answering): the diff plans what it found, with a warning,
 * since the update reads the record again before it writes anything. A frozen source's stop is never swallowed.
 */
export function unknownRecord(what: string, warn: (m: string) => void): (e: unknown) => undefined {
  return (e) => {
    if (e instanceof FrozenSourceError) throw e;
    warn(
      `${what}: could not read whether the destination is live (${e instanceof Error ? e.message : String(e)}); the up checks again before it writes`,
    );
    return undefined;
  };
}

/** The error of a copy stopped by a frozen source with writes at the destination. Pure. */
export function frozenSourceMessage(what: string, block: string, sourceIndex: string, w: DestinationWrites): string {
  const found = [
    `${n(w.createdCount)} document(s) only at the destination${first(w.created)}`,
    `${n(w.changedCount)} with other content than the source${first(w.changed)}`,
    `${n(w.missingCount)} source document(s) the destination no longer holds${first(w.missing)}`,
  ];
  return (
    `${what}: the source is write-blocked (${block}) and the destination was written to by someone else since the last run: ${found.join(", ")}. ` +
    "This looks like a cutover done by hand: the destination is live, and copying would delete or revert those writes, so nothing was changed. " +
    `Record the cutover: set phase: "cutover-done" on this resource (or its IndexMigration / ClusterMigration) and run up; from then on this copy no longer runs. ` +
    `If the source is frozen for a final copy and those destination writes are not to be kept, remove them, or lift the block (PUT /${sourceIndex}/_settings {"index.blocks.write": null}), and run up again.`
  );
}
