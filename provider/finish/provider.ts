// The MigrationFinish dynamic provider: after a copy, restore the index's final settings, refresh, count, verify
// and move an alias (cutover). Pulumi serializes this object into the state, so its methods only call module-level
// functions; the HTTP client is loaded inside connect(), when a method runs.
import type * as pulumi from "@pulumi/pulumi";
import { connect } from "../connection/client";
import { containsUnknown } from "../connection/unknown";
import type { Cluster } from "../connection/types";
import { putSettings, updateAliases } from "../destination-index/ops";
import { providerLog } from "../shared/log";
import { plain } from "../shared/results";
import { stableJson as stable } from "../shared/stable-json";
import { namedPipelines } from "../settings";
import { aliasHolders, countIndex, isConcreteIndex, pipelineExists, readSettings, refreshIndex } from "./ops";
import { aliasMoveActions, liveView, missingPipelineProblem, settingsDrift, verification } from "./plan";
import { defineProvider } from "../shared/define-provider";
import { FINISH_FIELDS } from "./schema";
import type { MigrationFinishInputs, MigrationFinishOutputs } from "./types";
import { checkFinishInputs } from "./validate";
import {
  liveLine,
  phaseRecord,
  readRecord,
  recordLine,
  unknownRecord,
  writeRecord,
  type CutoverRecord,
} from "../shared/live-destination";

type Outs = MigrationFinishOutputs & { __provider?: string };

const say = (message: string) => providerLog().info(message);

async function withCluster<T>(conn: MigrationFinishInputs["cluster"], fn: (c: Cluster) => Promise<T>): Promise<T> {
  const c = connect(conn, "destination");
  try {
    return await fn(c);
  } finally {
    await c.close().catch(() => undefined);
  }
}

/** The inputs compared for a re-run; `phase` is not among them: diff decides on it first (a live index plans nothing). */
const INPUT_KEYS = FINISH_FIELDS.filter((k) => k !== "phase");
const inputsOf = (o: Partial<Outs>) =>
  Object.fromEntries(INPUT_KEYS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

/** Why the finish must run again (inputs changed, or the live index drifted from what it set), empty when not. */
export function finishChanges(olds: Outs, news: MigrationFinishInputs): string[] {
  if (containsUnknown(news)) return ["inputs not known yet"];
  const reasons: string[] = [];
  if (stable(news.trigger ?? null) !== stable(olds.trigger ?? null)) reasons.push("the copy ran again");
  const other = (o: Partial<Outs>) => stable({ ...inputsOf(o), trigger: undefined });
  if (other(olds) !== other(news as Partial<Outs>)) reasons.push("inputs changed");
  const drift = settingsDrift(news.finalSettings, olds.settings);
  if (drift.length > 0) reasons.push(`settings drifted: ${drift.join("; ")}`);
  if (news.alias !== undefined && stable(olds.aliasIndices ?? []) !== stable([news.index])) {
    reasons.push(
      `alias "${news.alias}" is on ${(olds.aliasIndices ?? []).join(", ") || "no index"}, not only on "${news.index}"`,
    );
  }
  return reasons;
}

/** One finishing run: settings, refresh, count, verify, then the alias (only once the counts verify). */
export async function runFinish(inputs: MigrationFinishInputs): Promise<MigrationFinishOutputs> {
  return withCluster(inputs.cluster, async (dest) => {
    const destInfo = await dest.info();
    const where = `finish ${inputs.index} on ${dest.label}`;
    if ((await readSettings(dest, inputs.index)) === undefined) {
      throw new Error(
        `${where}: index "${inputs.index}" does not exist; it is created by its DestinationIndex before the copy`,
      );
    }
    // The pipelines held off during the load come back only where they exist: a missing one would fail every write.
    const pipelines = [...new Set(namedPipelines(inputs.finalSettings).map((p) => p.pipeline))];
    const present = await Promise.all(pipelines.map((p) => pipelineExists(dest, p)));
    const missing = missingPipelineProblem(inputs.finalSettings, new Set(pipelines.filter((_, k) => !present[k])));
    if (missing !== undefined) throw new Error(`${where}: ${missing}`);
    await putSettings(dest, inputs.index, inputs.finalSettings);
    if (inputs.refresh) await refreshIndex(dest, inputs.index);
    const destCount = await countIndex(dest, inputs.index, inputs.verify?.query);
    const check = verification(destCount, inputs.verify?.sourceCount, inputs.verify?.extra);
    if (check.problem !== undefined) {
      throw new Error(
        `${where}: counts do not verify: ${check.problem}.` +
          (inputs.alias !== undefined ? ` The alias "${inputs.alias}" was not moved.` : "") +
          " Final settings were applied. Look at the Reindex's failures, then run `pulumi up` again.",
      );
    }
    if (check.note !== undefined) say(`${where}: ${check.note}`);
    let movedFrom: string[] = [];
    let holders: string[] = [];
    if (inputs.alias !== undefined) {
      const current = await aliasHolders(dest, inputs.alias);
      if (Object.keys(current).length === 0 && (await isConcreteIndex(dest, inputs.alias))) {
        throw new Error(
          `${where}: alias "${inputs.alias}" is the name of an index on the destination, and an alias cannot share an index's name. ` +
            "Rename or delete that index first (e.g. reindex it to a versioned name), or choose another alias.",
        );
      }
      const move = aliasMoveActions(inputs.alias, inputs.index, current);
      await updateAliases(dest, move.actions);
      movedFrom = move.movedFrom;
      if (move.actions.length > 0)
        say(
          `${where}: alias "${inputs.alias}" now points here${movedFrom.length > 0 ? ` (moved from ${movedFrom.join(", ")})` : ""}`,
        );
      holders = Object.keys(await aliasHolders(dest, inputs.alias)).sort();
    }
    const live = (await readSettings(dest, inputs.index)) ?? {};
    say(
      `${where}: settings restored, ${destCount} document(s)${inputs.verify ? `, source ${inputs.verify.sourceCount}: verified` : ""}`,
    );
    return {
      ...inputs,
      destCount,
      sourceCount: inputs.verify?.sourceCount ?? null,
      verified: check.verified,
      aliasMovedFrom: movedFrom,
      settings: liveView(inputs.finalSettings, live),
      aliasIndices: holders,
      destInfo,
    };
  });
}

/** diff: whether the finish runs again, with the reasons said. */
export function diffFinish(olds: Outs, news: MigrationFinishInputs): pulumi.dynamic.DiffResult {
  const reasons = finishChanges(olds, news);
  if (reasons.length > 0 && !containsUnknown(news)) say(`finish ${news.index}: runs again: ${reasons.join("; ")}`);
  return { changes: reasons.length > 0 };
}

/** read (refresh): the final settings and the alias as they are live; gone when the index is gone. */
export async function readFinish(
  id: string,
  props: Outs,
): Promise<{ id: string; props: Outs | Record<string, never> }> {
  if (props?.cluster === undefined)
    throw new Error(`MigrationFinish "${id}": reading needs its recorded properties (import is not supported)`);
  return withCluster(props.cluster, async (dest) => {
    const live = await readSettings(dest, props.index);
    if (live === undefined) return { id: "", props: {} };
    const aliasIndices = props.alias !== undefined ? Object.keys(await aliasHolders(dest, props.alias)).sort() : [];
    return { id, props: plain({ ...props, settings: liveView(props.finalSettings, live), aliasIndices }) };
  });
}

/** delete: finishing is not undone: the documents, the restored settings and the alias stay as they are. */
export function deleteFinish(props: Outs): void {
  say(
    `finish ${props.index}: removed from the program; the index, its settings${props.alias ? ` and the alias "${props.alias}"` : ""} stay as they are`,
  );
}

const FINISH_TAIL = "the finish no longer runs (no settings restored, no alias moved)";

/** diff of the resource: a live index (recorded, or the program's phase) plans nothing but the record. */
export async function diffFinishLive(olds: Outs, news: MigrationFinishInputs): Promise<pulumi.dynamic.DiffResult> {
  const what = `finish ${news.index}`;
  if (olds.cutover !== undefined) {
    say(liveLine(what, olds.cutover, FINISH_TAIL));
    return { changes: false };
  }
  if (news.phase === "cutover-done") {
    say(recordLine(what));
    return { changes: true };
  }
  if (finishChanges(olds, news).length > 0 && !containsUnknown(news)) {
    const recorded = await withCluster(news.cluster, (dest) => readRecord(dest, news.index)).catch(
      unknownRecord(what, providerLog().warn),
    );
    if (recorded !== undefined) {
      say(liveLine(what, recorded, FINISH_TAIL));
      return { changes: false };
    }
  }
  return diffFinish(olds, news);
}

/** create and update: the finish, unless the index is live (then only the record, state and `_meta`). */
async function finishUnlessLive(inputs: MigrationFinishInputs, olds?: Outs): Promise<MigrationFinishOutputs> {
  const live = await withCluster(inputs.cluster, async (dest) => {
    const recorded = olds?.cutover ?? (await readRecord(dest, inputs.index));
    if (recorded === undefined && inputs.phase !== "cutover-done") return undefined;
    const cutover: CutoverRecord = recorded ?? (await writeRecord(dest, inputs.index, phaseRecord())) ?? phaseRecord();
    const results = olds ?? {
      destCount: 0,
      sourceCount: null,
      verified: false,
      aliasMovedFrom: [],
      settings: {},
      aliasIndices: [],
      destInfo: await dest.info(),
    };
    return { ...results, ...inputs, cutover };
  });
  if (live === undefined) return runFinish(inputs);
  say(liveLine(`finish ${inputs.index}`, live.cutover, FINISH_TAIL));
  return live;
}

export const migrationFinishProvider = defineProvider<MigrationFinishInputs, Outs>({
  check: async (news) => {
    const { inputs, failures } = checkFinishInputs(news);
    return { inputs, problems: failures };
  },
  diff: (_id, olds, news) => diffFinishLive(olds, news),
  create: async (inputs) => ({ id: inputs.index, outs: plain(await finishUnlessLive(inputs)) }),
  update: async (_id, olds, news) => ({ outs: plain(await finishUnlessLive(news, olds)) }),
  read: (id, props) => readFinish(id, props),
  delete: async (_id, props) => deleteFinish(props),
}) as pulumi.dynamic.ResourceProvider;
