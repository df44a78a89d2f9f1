// The source's write block (`index.blocks.write`): read, put and lifted by the cutover. A blocked index refuses
// index, update and delete requests (403 cluster_block_exception) and still serves reads, so the copy goes on.
import type { Cluster } from "../provider/connection/types";

const settingsPath = (index: string) => `/${encodeURIComponent(index)}/_settings`;

/** Whether `index` has `index.blocks.write: true` now. */
export async function isWriteBlocked(cluster: Cluster, index: string): Promise<boolean> {
  const res = await cluster.request<Record<string, { settings?: Record<string, unknown> }>>({
    method: "GET",
    path: `${settingsPath(index)}/index.blocks.write`,
    querystring: { flat_settings: true },
  });
  return String(res?.[index]?.settings?.["index.blocks.write"]) === "true";
}

/** Puts the write block on `index` (acknowledged once every shard refuses writes). */
export async function putWriteBlock(cluster: Cluster, index: string): Promise<void> {
  await cluster.request({ method: "PUT", path: settingsPath(index), body: { "index.blocks.write": true } });
}

/** Removes the write block from `index` (the setting reset, as before the cutover put it). */
export async function liftWriteBlock(cluster: Cluster, index: string): Promise<void> {
  await cluster.request({ method: "PUT", path: settingsPath(index), body: { "index.blocks.write": null } });
}
