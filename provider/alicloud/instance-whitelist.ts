// The dynamic provider of `ElasticsearchInstanceWhitelist` (components/alicloud): puts remote-reindex whitelist entries
// into the YML of an Alibaba Cloud Elasticsearch instance managed outside the program, through the
// UpdateInstanceSettings API. Every change of the YML RESTARTS the instance (a rolling restart).
import type * as pulumi from "@pulumi/pulumi";
import {
  type AlibabaApiInputs,
  type ElasticsearchClient,
  SECRET_API_KEYS,
  apiInputsOf,
  clientToken,
  createClient,
  describeApiError,
  loadSdk,
} from "./api-client";
import { WHITELIST_KEY, mergeReindexWhitelist, splitWhitelist } from "./whitelist";
import { isUnknown } from "../connection/unknown";
import { pollUntil } from "../shared/poll";

export interface ElasticsearchInstanceWhitelistInputs extends AlibabaApiInputs {
  instanceId: string;
  entries: string[];
  timeoutSeconds?: number;
  pollIntervalSeconds?: number;
}

export interface ElasticsearchInstanceWhitelistOutputs extends ElasticsearchInstanceWhitelistInputs {
  /** Entries that were in the YML before this resource touched it: left in place on delete. */
  preexisting: string[];
  /** The whitelist value after the last change. */
  whitelist: string;
}

const DEFAULT_TIMEOUT_S = 3600;
const DEFAULT_POLL_S = 30;

/** Reads the instance's YML settings (`esConfig`) and status. */
export async function describeInstance(
  client: ElasticsearchClient,
  instanceId: string,
): Promise<{ esConfig: Record<string, unknown>; status?: string }> {
  try {
    const res = await client.describeInstance(instanceId);
    return {
      esConfig: (res.body?.result?.esConfig ?? {}) as Record<string, unknown>,
      status: res.body?.result?.status,
    };
  } catch (err) {
    throw new Error(describeApiError(`DescribeInstance(${instanceId})`, err));
  }
}

/**
 * Writes `add` into the whitelist and takes `remove` out, keeping every other YML key. Skips the API call (and the
 * restart) when nothing changes. Returns the whitelist value now in place.
 */
export async function applyWhitelist(
  inputs: ElasticsearchInstanceWhitelistInputs,
  add: string[],
  remove: string[],
): Promise<{ before: string[]; after: string }> {
  const client = createClient(inputs);
  const sdk = loadSdk();
  const { esConfig } = await describeInstance(client, inputs.instanceId);
  const before = splitWhitelist(esConfig[WHITELIST_KEY]);
  const merged = mergeReindexWhitelist(esConfig, add, remove);
  const after = merged[WHITELIST_KEY] ?? "";
  if (after === before.join(",")) return { before, after };
  try {
    await client.updateInstanceSettings(
      inputs.instanceId,
      new sdk.UpdateInstanceSettingsRequest({ esConfig: merged, clientToken: clientToken() }),
    );
  } catch (err) {
    throw new Error(describeApiError(`UpdateInstanceSettings(${inputs.instanceId})`, err));
  }
  const timeoutS = inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_S;
  await pollUntil({
    read: async () => (await describeInstance(client, inputs.instanceId)).status,
    done: (status) => status === "active",
    deadline: Date.now() + timeoutS * 1000,
    intervalMs: (inputs.pollIntervalSeconds ?? DEFAULT_POLL_S) * 1000,
    // The status may still read "active" just after the call, before the restart starts: look once a pause is over.
    pauseFirst: true,
    onTimeout: (status) =>
      new Error(`instance ${inputs.instanceId} is ${status ?? "unknown"} ${timeoutS}s after its YML update (restart)`),
  });
  return { before, after };
}

export const instanceWhitelistProvider: pulumi.dynamic.ResourceProvider<
  ElasticsearchInstanceWhitelistInputs,
  ElasticsearchInstanceWhitelistOutputs
> = {
  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (typeof news.instanceId !== "string" || news.instanceId === "")
      failures.push({ property: "instanceId", reason: "instanceId is required" });
    if (typeof news.region !== "string" || news.region === "")
      failures.push({ property: "region", reason: "region is required" });
    if (Array.isArray(news.entries)) {
      for (const e of news.entries) {
        if (typeof e === "string" && !/^[^\s,:/]+:(\d+|\*)$/.test(e) && !isUnknown(e)) {
          failures.push({
            property: "entries",
            reason: `whitelist entry "${e}" must be host:port (no scheme, no path)`,
          });
        }
      }
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = (["instanceId", "region"] as const).filter((k) => olds[k] !== news[k]);
    const entriesChanged = JSON.stringify([...olds.entries].sort()) !== JSON.stringify([...news.entries].sort());
    const other = (
      ["timeoutSeconds", "pollIntervalSeconds", "apiEndpoint", "apiProtocol", ...SECRET_API_KEYS] as const
    ).some((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0 || entriesChanged || other, replaces };
  },

  async create(inputs) {
    const { before, after } = await applyWhitelist(inputs, inputs.entries, []);
    return {
      id: `${inputs.instanceId}/${WHITELIST_KEY}`,
      outs: { ...inputs, ...apiInputsOf(inputs), preexisting: before, whitelist: after },
    };
  },

  async read(id, props) {
    if (!props) throw new Error(`reading ${id} needs its recorded properties (import is not supported)`);
    const client = createClient(props);
    const { esConfig } = await describeInstance(client, props.instanceId);
    const current = splitWhitelist(esConfig[WHITELIST_KEY]);
    // Report only the entries this resource manages that are still there, so a manual removal shows as drift.
    return {
      id,
      props: { ...props, entries: props.entries.filter((e) => current.includes(e)), whitelist: current.join(",") },
    };
  },

  async update(_id, olds, news) {
    const dropped = olds.entries.filter((e) => !news.entries.includes(e) && !olds.preexisting.includes(e));
    const { after } = await applyWhitelist(news, news.entries, dropped);
    return { outs: { ...news, ...apiInputsOf(news), preexisting: olds.preexisting, whitelist: after } };
  },

  async delete(_id, props) {
    const ours = props.entries.filter((e) => !props.preexisting.includes(e));
    if (ours.length > 0) await applyWhitelist(props, [], ours);
  },
};
