// The DestinationIndex dynamic provider. Pulumi serializes this object into the state, so its methods only call
// the module-level functions below; the HTTP client is loaded inside connect(), when a method runs.
import type * as pulumi from "@pulumi/pulumi";
import { connect } from "../connection/client";
import { containsUnknown } from "../connection/unknown";
import type { Cluster, ClusterConnection, ClusterInfo } from "../connection/types";
import {
  type FlatSettings,
  type FormatWarning,
  type Mapping,
  classifyMappingChange,
  classifySettingChange,
  declaredView,
  jodaFormatWarnings,
  normalizeSettings,
  settingKind,
} from "../settings";
import { createIndex, deleteIndex, putMapping, putSettings, readIndex, readSource, updateAliases } from "./ops";
import {
  aliasActions,
  createSettings,
  effectiveState,
  finalSettingsOf,
  heldBackLoadSettings,
  isLoading,
  planDiff,
  reportedAliases,
  reportedSettings,
  sameSource,
} from "./plan";
import { isOwnIndex, keepingOurMeta, originNow, takeoverLine, withOrigin } from "./origin";
import type { AliasOptions, CopiedSnapshot, DestinationIndexInputs, DestinationIndexOutputs } from "./types";
import { checkInputs } from "./validate";
import { providerLog as log } from "../shared/log";
import { defineProvider } from "../shared/define-provider";
import {
  earlier,
  guardAction,
  INDEX_TAIL,
  liveLine,
  phaseRecord,
  readRecord,
  recordLine,
  sourceWriteBlock,
  unknownRecord,
  writeRecord,
  type CutoverRecord,
} from "../shared/live-destination";
import { initError } from "../shared/results";

type Outs = DestinationIndexOutputs & { __provider?: string };

async function withCluster<T>(
  conn: DestinationIndexInputs["cluster"],
  role: string,
  fn: (c: Cluster) => Promise<T>,
): Promise<T> {
  const c = connect(conn, role);
  try {
    return await fn(c);
  } finally {
    await c.close().catch(() => undefined);
  }
}

/** The copyFrom snapshot for `news`: recorded if the source did not move (or copyFrom was removed), else read now. */
async function copiedFor(
  news: DestinationIndexInputs,
  olds: Outs | undefined,
  destInfo: () => Promise<ClusterInfo>,
): Promise<{ copied?: CopiedSnapshot; sourceInfo?: ClusterInfo; dropped: string[] }> {
  if (news.copyFrom === undefined) return { copied: olds?.copied, sourceInfo: olds?.sourceInfo, dropped: [] };
  if (olds !== undefined && sameSource(olds.copyFrom, news.copyFrom))
    return { copied: olds.copied, sourceInfo: olds.sourceInfo, dropped: [] };
  const info = await destInfo();
  const r = await withCluster(news.copyFrom.cluster, "source", (src) => readSource(src, news.copyFrom!.index, info));
  return { copied: r.snapshot, sourceInfo: r.sourceInfo, dropped: r.dropped };
}

type Open = (conn: ClusterConnection, role: string) => Cluster;

/** check: validation; for a new index copied from a 6.x source, the date formats whose meaning changes. `open` connects (MigratedIndex shares cluster facts). */
export async function checkDestinationIndex(
  news: Record<string, unknown>,
  olds?: Record<string, unknown>,
  open?: Open,
) {
  const { inputs, failures } = checkInputs(news);
  // A new index copied from a 6.x source: date formats whose meaning changes are named at preview, before the copy.
  if (
    failures.length === 0 &&
    (olds === undefined || Object.keys(olds).length === 0) &&
    inputs.copyFrom !== undefined &&
    !containsUnknown(inputs.copyFrom)
  ) {
    for (const w of await sourceFormatWarnings(inputs.copyFrom, open))
      log().warn(
        `DestinationIndex "${inputs.index}": field ${w.field} of the source has the 6.x date format ${w.reason}`,
      );
  }
  return { inputs: { ...news, ...inputs } as unknown as DestinationIndexInputs, failures };
}

/** Date-format warnings for a 6.x (or older) source index; none when the source is newer or cannot be read yet. */
async function sourceFormatWarnings(
  copyFrom: NonNullable<DestinationIndexInputs["copyFrom"]>,
  open: Open = (conn, role) => connect(conn, role, { retry: { maxAttempts: 1 } }),
): Promise<FormatWarning[]> {
  const src = open(copyFrom.cluster, "source");
  try {
    const info = await src.info();
    if (info.flavor !== "elasticsearch" || info.major >= 7) return [];
    // 6.x: { index: { mappings: { <type>: { properties } } } }
    const res = await src.request<Record<string, { mappings?: Record<string, Mapping> }> | undefined>({
      method: "GET",
      path: `/${encodeURIComponent(copyFrom.index)}/_mapping`,
      timeoutMs: 10_000,
    });
    return Object.values(res ?? {}).flatMap((idx) =>
      Object.values(idx?.mappings ?? {}).flatMap((m) => jodaFormatWarnings(m)),
    );
  } catch {
    return []; // a source this program still creates, or not reachable yet: create() reads it again
  } finally {
    await src.close().catch(() => undefined);
  }
}

export async function diffDestinationIndex(
  olds: Outs,
  news: DestinationIndexInputs,
): Promise<pulumi.dynamic.DiffResult> {
  const name = `DestinationIndex "${olds.index}"`;
  if (olds.cutover !== undefined) {
    log().info(liveLine(name, olds.cutover, INDEX_TAIL));
    return { changes: false };
  }
  if (news.phase === "cutover-done") {
    log().info(recordLine(name));
    return { changes: true };
  }
  let copied: CopiedSnapshot | undefined | "unknown";
  if (containsUnknown(news.copyFrom)) copied = "unknown";
  else if (news.copyFrom === undefined || sameSource(olds.copyFrom, news.copyFrom)) copied = olds.copied;
  else {
    // copyFrom moved: the new source decides (read it now, so the preview is right).
    copied = (await copiedFor(news, olds, async () => olds.destInfo)).copied;
  }
  const plan = planDiff(olds, news, copied);
  // A change to plan: unless the index went live (a record in its mapping the state does not have yet).
  const recorded = plan.changes
    ? await withCluster(olds.cluster, "destination", (dest) => readRecord(dest, olds.index)).catch(
        unknownRecord(name, log().warn),
      )
    : undefined;
  if (recorded !== undefined) {
    log().info(liveLine(name, recorded, INDEX_TAIL));
    return { changes: false };
  }
  if (plan.replaces.length > 0) {
    const protectedNote = olds.deletionProtection
      ? " deletionProtection is on, so the replacement will fail and the index stay: set deletionProtection: false and run `pulumi up` first."
      : " The index is deleted and created again: its documents are lost and must be copied again.";
    log().warn(`${name} will be REPLACED because: ${plan.replaceReasons.join("; ")}.${protectedNote}`);
  } else if (plan.updateReasons.length > 0) {
    log().info(`${name} will be updated in place: ${plan.updateReasons.join("; ")}`);
  }
  if (plan.undecided.length > 0)
    log().info(
      `${name}: ${plan.undecided.join(", ")} not known yet; whether the index is replaced is decided when they are`,
    );
  return { changes: plan.changes, replaces: plan.replaces, deleteBeforeReplace: true };
}

/** `owner`: the resource that holds the index when not its own (a MigratedIndexGroup), written into its origin. */
export async function createDestinationIndex(
  inputs: DestinationIndexInputs & { __provider?: string },
  owner?: string,
): Promise<{ id: string; outs: Outs }> {
  return withCluster(inputs.cluster, "destination", async (dest) => {
    const destInfo = await dest.info();
    const { copied, sourceInfo, dropped } = await copiedFor(inputs, undefined, async () => destInfo);
    for (const d of dropped) log().info(`DestinationIndex "${inputs.index}": not copied from the source: ${d}`);
    const effective = effectiveState(inputs, copied);
    const existing = await readIndex(dest, inputs.index, destInfo);
    if (existing?.cutover !== undefined || inputs.phase === "cutover-done") {
      // The live index: taken as it is (only the record written), never changed.
      if (existing === undefined) {
        throw new Error(
          `DestinationIndex "${inputs.index}": phase is "cutover-done" but the index does not exist on ${dest.label}: a cut-over index is the live one. Check the name, or declare phase "sync" to create and fill it`,
        );
      }
      const cutover = existing.cutover ?? (await writeRecord(dest, inputs.index, phaseRecord()))!;
      log().info(liveLine(`DestinationIndex "${inputs.index}"`, cutover, INDEX_TAIL));
      const outs = outputsOf(inputs, effective, {
        uuid: existing.uuid,
        engineSettings: {},
        copied,
        sourceInfo,
        destInfo,
        adopted: true,
      });
      return { id: inputs.index, outs: { ...outs, cutover } };
    }
    let adopted = false;
    if (existing !== undefined) {
      // An index this package created as the same copy: an interrupted up's own (./origin), taken over without asking.
      const own = !inputs.adoptExisting && isOwnIndex(existing.origin, inputs.copyFrom?.index, owner);
      if (own) log().info(takeoverLine(inputs.index, existing.origin!));
      else if (!inputs.adoptExisting) {
        throw new Error(
          `index "${inputs.index}" already exists on ${dest.label}. To take it over (its settings and mappings are compared with the declared ones and ` +
            "updated where possible), set adoptExisting: true; or choose another index name; or delete the existing index if it is disposable.",
        );
      }
      await adoptIndex(dest, inputs, existing, effective, destInfo, copied?.typeName);
      adopted = !own;
    } else {
      const load = createSettings(effective.settings, inputs.loadSettings);
      await createIndex(
        dest,
        inputs.index,
        {
          settings: load,
          mappings: withOrigin(effective.mappings, originNow(inputs.copyFrom?.index, owner)),
          aliases: inputs.aliases,
        },
        destInfo,
        copied?.typeName,
      );
    }
    const partial = { ...inputs, __provider: inputs.__provider };
    try {
      const live = await readIndex(dest, inputs.index, destInfo);
      if (live === undefined)
        throw new Error(`index "${inputs.index}" was created on ${dest.label} but cannot be read back`);
      // The shard count the engine chose is recorded, so declaring the same value later is no change.
      const engineSettings: FlatSettings = {};
      for (const key of ["index.number_of_shards"])
        if (effective.settings[key] === undefined && live.settings[key] !== undefined)
          engineSettings[key] = live.settings[key];
      const outs = outputsOf(
        inputs,
        { ...effective, settings: { ...engineSettings, ...effective.settings } },
        {
          uuid: live.uuid,
          engineSettings,
          copied,
          sourceInfo,
          destInfo,
          adopted,
        },
      );
      return { id: inputs.index, outs };
    } catch (e) {
      throw initError(`DestinationIndex "${inputs.index}": ${(e as Error).message}`, inputs.index, partial);
    }
  });
}

function outputsOf(
  inputs: DestinationIndexInputs & { __provider?: string },
  effective: { settings: FlatSettings; mappings: Mapping },
  extra: Pick<Outs, "uuid" | "engineSettings" | "copied" | "sourceInfo" | "destInfo" | "adopted">,
): Outs {
  const outs: Outs = {
    cluster: inputs.cluster,
    index: inputs.index,
    loadSettings: inputs.loadSettings,
    deletionProtection: inputs.deletionProtection,
    adoptExisting: inputs.adoptExisting,
    aliases: inputs.aliases ?? {},
    settings: effective.settings,
    mappings: effective.mappings,
    finalSettings: finalSettingsOf(effective.settings, inputs.loadSettings),
    ...extra,
  };
  if (inputs.copyFrom !== undefined) outs.copyFrom = inputs.copyFrom;
  if (inputs.phase !== undefined) outs.phase = inputs.phase;
  for (const k of ["copied", "sourceInfo"] as const) if (outs[k] === undefined) delete outs[k];
  return outs;
}

/** Takes over an existing index: static differences are an error, dynamic settings and new fields are applied. */
async function adoptIndex(
  dest: Cluster,
  inputs: DestinationIndexInputs,
  live: NonNullable<Awaited<ReturnType<typeof readIndex>>>,
  effective: { settings: FlatSettings; mappings: Mapping },
  destInfo: ClusterInfo,
  typeName?: string,
): Promise<void> {
  const liveDeclared: FlatSettings = {};
  for (const key of Object.keys(effective.settings))
    if (live.settings[key] !== undefined) liveDeclared[key] = live.settings[key];
  const s = classifySettingChange(liveDeclared, effective.settings);
  const m = classifyMappingChange(live.mappings, {
    ...live.mappings,
    ...effective.mappings,
    properties: { ...(live.mappings.properties ?? {}), ...(effective.mappings.properties ?? {}) },
  });
  const blocking = [...s.replace.map((c) => c.reason), ...m.replace.map((c) => c.reason)];
  if (blocking.length > 0) {
    throw new Error(
      `cannot adopt index "${inputs.index}" on ${dest.label}: it differs in what cannot change in place: ${blocking.join("; ")}. Declare what it has, or let it be created anew under another name.`,
    );
  }
  const put: FlatSettings = {};
  for (const c of s.update) put[c.key] = c.to ?? null;
  await putSettings(dest, inputs.index, put);
  if (m.update.length > 0)
    await putMapping(dest, inputs.index, keepingOurMeta(effective.mappings, live), destInfo, typeName ?? live.typeName);
  // GET answers each alias with the options the create-index API takes.
  await updateAliases(dest, aliasActions(inputs.index, live.aliases as Record<string, AliasOptions>, inputs.aliases));
}

export async function updateDestinationIndex(olds: Outs, news: DestinationIndexInputs): Promise<{ outs: Outs }> {
  return withCluster(news.cluster, "destination", async (dest) => {
    const destInfo = await dest.info();
    const live = await readIndex(dest, news.index, destInfo);
    const recorded = earlier(olds.cutover, live?.cutover);
    if (recorded !== undefined || news.phase === "cutover-done") {
      // Live: only the record (state, and the mapping's `_meta` when the program's phase made it).
      const cutover: CutoverRecord = recorded ?? (await writeRecord(dest, news.index, phaseRecord())) ?? phaseRecord();
      log().info(liveLine(`DestinationIndex "${news.index}"`, cutover, INDEX_TAIL));
      return {
        outs: { ...olds, cluster: news.cluster, ...(news.phase !== undefined ? { phase: news.phase } : {}), cutover },
      };
    }
    const { copied, sourceInfo, dropped } = await copiedFor(news, olds, async () => destInfo);
    for (const d of dropped) log().info(`DestinationIndex "${news.index}": not copied from the source: ${d}`);
    const effective = effectiveState(news, copied, olds.engineSettings);
    if (live === undefined) {
      throw new Error(
        `index "${news.index}" no longer exists on ${dest.label}: run \`pulumi refresh\` to record that, then \`pulumi up\` creates it again`,
      );
    }
    const s = classifySettingChange(olds.settings, effective.settings);
    if (s.replace.length > 0)
      throw new Error(
        `DestinationIndex "${news.index}": ${s.replace.map((c) => c.reason).join("; ")}: this needs a replacement, not an update`,
      );
    const put: FlatSettings = {};
    for (const c of s.update) {
      // Still loading: the new value becomes the final one, restored by the migration after the load.
      if (isLoading(c.key, live.settings, olds.loadSettings) && news.loadSettings[c.key] !== undefined) continue;
      put[c.key] = c.to ?? null;
    }
    // A load setting dropped from loadSettings while the index still loads: restore its final value now.
    for (const key of Object.keys(olds.loadSettings)) {
      if (
        news.loadSettings[key] === undefined &&
        isLoading(key, live.settings, olds.loadSettings) &&
        settingKind(key) === "dynamic"
      ) {
        put[key] = effective.settings[key] ?? finalSettingsOf(effective.settings, olds.loadSettings)[key];
      }
    }
    await putSettings(dest, news.index, normalizeSettings(put));
    const m = classifyMappingChange(olds.mappings, effective.mappings);
    if (m.update.length > 0)
      await putMapping(
        dest,
        news.index,
        keepingOurMeta(effective.mappings, live),
        destInfo,
        copied?.typeName ?? live.typeName,
      );
    await updateAliases(dest, aliasActions(news.index, olds.aliases, news.aliases));
    return {
      outs: outputsOf(news, effective, {
        uuid: live.uuid,
        engineSettings: olds.engineSettings,
        copied,
        sourceInfo,
        destInfo,
        adopted: olds.adopted,
      }),
    };
  });
}

export async function readDestinationIndex(id: string, props: Outs | undefined): Promise<pulumi.dynamic.ReadResult> {
  if (props === undefined || props.cluster === undefined) {
    throw new Error(
      `DestinationIndex "${id}": reading needs its recorded properties (import is not supported: use adoptExisting)`,
    );
  }
  return withCluster(props.cluster, "destination", async (dest) => {
    const live = await readIndex(dest, props.index, props.destInfo ?? (await dest.info()));
    if (live === undefined) return { id: "", props: {} };
    const settings = reportedSettings(
      props.settings,
      live.settings,
      heldBackLoadSettings(props.settings, props.loadSettings),
    );
    const mappings = declaredView(props.mappings, live.mappings);
    const aliases = reportedAliases(props.aliases, live.aliases);
    const cutover = earlier(props.cutover, live.cutover);
    return {
      id,
      props: {
        ...props,
        uuid: live.uuid,
        settings,
        mappings,
        aliases: props.aliases !== undefined ? normalizeAliases(aliases) : props.aliases,
        ...(cutover ? { cutover } : {}),
      },
    };
  });
}

// GET answers alias options with engine spellings (index_routing/search_routing for routing); compare like declared.
function normalizeAliases(live: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(live).sort()) {
    const o = { ...live[name] };
    if (o.index_routing !== undefined && o.index_routing === o.search_routing) {
      o.routing = o.index_routing;
      delete o.index_routing;
      delete o.search_routing;
    }
    out[name] = o;
  }
  return out;
}

/**
 * delete: a live index (a cutover recorded in the state, the program or its mapping) stays, whatever
 * deletionProtection says; else refused while protection is on, or while the source is write-blocked (a cutover done
 * by hand: the index may be the live one); else this one index is deleted.
 */
export async function deleteDestinationIndex(id: string, props: Outs): Promise<void> {
  const name = `DestinationIndex "${props.index}"`;
  const leave = (r: CutoverRecord) => log().info(liveLine(name, r, INDEX_TAIL));
  if (props.cutover !== undefined) return leave(props.cutover);
  if (props.phase === "cutover-done") return leave(phaseRecord());
  await withCluster(props.cluster, "destination", async (dest) => {
    const live = await readIndex(dest, props.index, props.destInfo).catch((e) => {
      if (props.deletionProtection !== false) return undefined; // refused below anyway
      throw e;
    });
    if (live?.cutover !== undefined) return leave(live.cutover);
    if (props.deletionProtection !== false) {
      throw new Error(
        `${name} is protected (deletionProtection is on): the index and its documents stay on ${props.cluster?.url ?? "the destination"}. ` +
          "To delete it (destroy, or a change that replaces it), set deletionProtection: false and run `pulumi up` first. " +
          "To stop managing it but keep it, run `pulumi state delete` on the resource.",
      );
    }
    const copyFrom = props.copyFrom;
    const block =
      live === undefined || copyFrom === undefined
        ? undefined
        : await withCluster(copyFrom.cluster, "source", (src) => sourceWriteBlock(src, copyFrom.index)).catch(
            () => undefined,
          );
    if (guardAction("delete", { sourceBlock: block }) === "stop") {
      throw new Error(
        `${name}: the source index is write-blocked (${block}), as a cutover leaves it: this index may be the live one, so it was not deleted. ` +
          'If it is live, record the cutover (phase: "cutover-done") and removing the resource leaves the index; if it is not, lift the block on the source first.',
      );
    }
    // Only the index this resource created or adopted; never the source (another cluster) or other indices.
    if (live !== undefined && props.uuid !== undefined && live.uuid !== props.uuid) {
      throw new Error(
        `index "${props.index}" on ${dest.label} has uuid ${live.uuid}, not ${props.uuid}: it was created again outside this program; not deleting it. Run \`pulumi refresh\` to see it.`,
      );
    }
    await deleteIndex(dest, props.index);
  });
  void id;
}

export const destinationIndexProvider = defineProvider<DestinationIndexInputs, Outs>({
  check: async (news, olds) => {
    const { inputs, failures } = await checkDestinationIndex(news, olds);
    return { inputs, problems: failures };
  },
  diff: (_id, olds, news) => diffDestinationIndex(olds, news),
  create: (inputs) => createDestinationIndex(inputs),
  update: (_id, olds, news) => updateDestinationIndex(olds, news),
  read: (id, props) => readDestinationIndex(id, props),
  delete: (id, props) => deleteDestinationIndex(id, props),
}) as pulumi.dynamic.ResourceProvider;
