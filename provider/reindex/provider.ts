// The Reindex dynamic provider: check validates (and asks the clusters what they allow), diff decides whether a
// run is needed, create/update run the copy (./run), delete cancels what still runs and never touches data.
import type * as pulumi from "@pulumi/pulumi";
import { randomUUID } from "node:crypto";
import { connect } from "../connection/client";
import { containsUnknown } from "../connection/unknown";
import { liveCheckFailures } from "./live-checks";
import { andQuery, waitingQuery, type Cursor } from "./queries";
import { sourceConnection } from "./request";
import { cancelTask, runningReindexTasks } from "./tasks";
import { providerLog as pulumiLog } from "../shared/log";
import { initError, plain } from "../shared/results";
import { stableJson as stable } from "../shared/stable-json";
import { ReindexRunError, runReindex, type RunLog } from "./run";
import type { ReindexInputs, ReindexOutputs } from "./types";
import { validateInputs } from "./validate";

type Outs = ReindexOutputs & { cursorFrom?: Cursor; cursorTo?: Cursor; __provider?: string };

/** The inputs whose change means the data must be copied again from scratch (a replacement). */
export function dataIdentity(i: Partial<ReindexInputs>): Record<string, unknown> {
  return {
    destIndex: i.destIndex,
    destIndexUuid: i.destIndexUuid,
    source: { index: i.source?.index, query: i.source?.query, host: i.source?.remote?.host },
    mode: i.mode,
  };
}

/** The top-level inputs whose change replaces the resource (full re-run), e.g. ["destIndexUuid"]. Pure. */
export function replacingProperties(olds: Partial<ReindexInputs>, news: Partial<ReindexInputs>): string[] {
  const a = dataIdentity(olds);
  const b = dataIdentity(news);
  const changed = Object.keys(a).filter((k) => stable(a[k]) !== stable(b[k]) || containsUnknown(b[k]));
  // A source's host, index or query live under the one input "source".
  return changed;
}

const INPUT_KEYS: (keyof ReindexInputs)[] = ["cluster", "destIndex", "destIndexUuid", "source", "mode", "partitions", "slices", "transport", "requestsPerSecond", "conflicts", "opType", "timeout", "verify"];

function inputsOf(o: Partial<Outs>): Partial<ReindexInputs> {
  return Object.fromEntries(INPUT_KEYS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

/** Documents at the source past the stored watermark (incremental), or undefined when it cannot be told. */
async function waitingCount(news: ReindexInputs, olds: Outs, log: RunLog): Promise<number | undefined> {
  if (news.mode.type !== "incremental" || olds.cursorTo === undefined || containsUnknown(news)) return undefined;
  const src = connect(sourceConnection(news), "source");
  try {
    const res = await src.request<{ count: number }>({
      method: "POST",
      path: `/${encodeURIComponent(news.source.index)}/_count`,
      body: { query: waitingQuery(news.mode.field, news.source.query ? andQuery(news.source.query) : undefined, olds.cursorTo) },
      idempotent: true,
    });
    return res.count;
  } catch (e) {
    log.warn(`reindex ${news.source.index} -> ${news.destIndex}: could not count the documents waiting at the source: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  } finally {
    await src.close().catch(() => undefined);
  }
}

function newId(destIndex: string): string {
  return `${destIndex}-${randomUUID().slice(0, 8)}`;
}

export const reindexProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: any, news: any) {
    const { inputs, failures } = validateInputs(news);
    if (failures.length === 0 && !containsUnknown(inputs)) failures.push(...(await liveCheckFailures(inputs)));
    return { inputs, failures };
  },

  async diff(_id: string, olds: Outs, news: ReindexInputs) {
    const replaces = replacingProperties(olds, news);
    if (replaces.length > 0) {
      const topLevel = [...new Set(replaces)];
      pulumiLog().info(`reindex ${olds.source?.index} -> ${olds.destIndex}: ${topLevel.join(", ")} changed: the copy runs again in full`);
      return { changes: true, replaces: topLevel, deleteBeforeReplace: true };
    }
    if (olds.status === "failed") {
      pulumiLog().info(`reindex ${news.source.index} -> ${news.destIndex}: the last run did not finish; pulumi up continues it`);
      return { changes: true };
    }
    const inputsChanged = stable(inputsOf(olds)) !== stable(inputsOf(news as Partial<Outs>));
    const waiting = await waitingCount(news, olds, pulumiLog());
    if (waiting !== undefined && waiting > 0) {
      pulumiLog().info(`reindex ${news.source.index} -> ${news.destIndex}: ${waiting} document(s) waiting at the source past the watermark ${olds.watermark}`);
      return { changes: true };
    }
    return { changes: inputsChanged };
  },

  async create(inputs: ReindexInputs & { __provider?: string }) {
    const id = newId(inputs.destIndex);
    try {
      const results = await runReindex(inputs, { log: pulumiLog() });
      return { id, outs: plain({ ...inputs, ...results }) };
    } catch (e) {
      if (e instanceof ReindexRunError) throw initError(e.message, id, { ...inputs, ...e.results });
      throw e;
    }
  },

  async update(id: string, olds: Outs, news: ReindexInputs & { __provider?: string }) {
    const log = pulumiLog();
    const keep = { ...olds, ...news };
    let run: Parameters<typeof runReindex>[1] | undefined;
    if (olds.status === "failed") {
      run = { log, resume: olds, from: olds.cursorFrom };
    } else if (news.mode.type === "incremental") {
      const waiting = await waitingCount(news, olds, log);
      if (waiting === undefined || waiting > 0) run = { log, from: olds.cursorTo };
    }
    if (run === undefined) return { outs: plain(keep) };
    try {
      const results = await runReindex(news, run);
      if (news.mode.type === "incremental" && results.cursorTo === undefined) results.cursorTo = olds.cursorTo;
      return { outs: plain({ ...news, ...results }) };
    } catch (e) {
      if (e instanceof ReindexRunError) throw initError(e.message, id, { ...news, ...e.results, cursorTo: e.results.cursorTo ?? olds.cursorTo });
      throw e;
    }
  },

  async delete(_id: string, props: Outs) {
    if (props.transport === "client" || (props.taskIds ?? []).length === 0) return;
    const dest = connect(props.cluster, "destination");
    try {
      const running = new Set(await runningReindexTasks(dest, props.destIndex));
      for (const taskId of props.taskIds.filter((t) => running.has(t))) {
        pulumiLog().info(`reindex into ${props.destIndex}: cancelling task ${taskId} (the copied documents stay)`);
        await cancelTask(dest, taskId);
      }
    } finally {
      await dest.close().catch(() => undefined);
    }
  },
};
