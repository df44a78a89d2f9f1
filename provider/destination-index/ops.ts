// The requests a DestinationIndex makes: read a source index's settings and mappings, read, create, update and
// delete the destination index. Each function takes a connected Cluster.
import type { Cluster, ClusterInfo } from "../connection/types";
import {
  type FlatSettings,
  type Mapping,
  type DroppedSetting,
  type DroppedMapping,
  mappingsFromSource,
  normalizeSettings,
  settingsFromSource,
  typeless,
} from "../settings";
import { recordOf, withoutRecord, type CutoverRecord } from "../shared/live-destination";
import { originOf, type IndexOrigin } from "./origin";
import type { CopiedSnapshot } from "./types";

const path = (index: string, suffix = "") => `/${encodeURIComponent(index)}${suffix}`;

/** `GET /<index>?flat_settings`: by index name, its settings, mappings (typeless, or by 6.x type) and aliases. */
type GetIndexResponse = Record<
  string,
  { settings?: Record<string, unknown>; mappings?: Mapping; aliases?: Record<string, Record<string, unknown>> }
>;

/** The index as the destination has it now, or undefined when it does not exist. */
export interface LiveIndex {
  uuid: string;
  settings: FlatSettings;
  /** Typeless mapping (a 6.x type unwrapped). */
  mappings: Mapping;
  typeName?: string;
  aliases: Record<string, Record<string, unknown>>;
  /** The record of a cutover in the mapping's `_meta` (left out of `mappings`, so it is never drift). */
  cutover?: CutoverRecord;
  /** Which copy created the index, when this package did (in the mapping's `_meta`, left out of `mappings` too). */
  origin?: IndexOrigin;
}

/** Reads an index's settings (canonical), mappings (typeless) and aliases; undefined on 404. */
export async function readIndex(cluster: Cluster, index: string, info: ClusterInfo): Promise<LiveIndex | undefined> {
  const res = await cluster.request<GetIndexResponse | undefined>({
    method: "GET",
    path: path(index),
    querystring: { flat_settings: true },
    ignore: [404],
  });
  if (res === undefined) return undefined;
  // GET /<alias> answers with the index behind it: only an exact name is this index.
  const body = res[index];
  if (body === undefined) return undefined;
  const settings = normalizeSettings(body.settings ?? {});
  let mappings: Mapping = body.mappings ?? {};
  let typeName: string | undefined;
  if (!typeless(info)) {
    const types = Object.keys(mappings).filter((t) => t !== "_default_");
    typeName = types[0];
    mappings = typeName !== undefined ? (mappings[typeName] as Mapping) : {};
  }
  const cutover = recordOf(mappings);
  const origin = originOf(mappings);
  return {
    uuid: String(settings["index.uuid"]),
    settings,
    mappings: withoutRecord(mappings),
    typeName,
    aliases: body.aliases ?? {},
    ...(cutover ? { cutover } : {}),
    ...(origin ? { origin } : {}),
  };
}

/** What copyFrom takes from the source index, and what it left out (to tell the user). */
export async function readSource(
  source: Cluster,
  index: string,
  destInfo: ClusterInfo,
): Promise<{ snapshot: CopiedSnapshot; sourceInfo: ClusterInfo; dropped: string[] }> {
  const sourceInfo = await source.info();
  const res = await source.request<GetIndexResponse | undefined>({
    method: "GET",
    path: path(index),
    querystring: { flat_settings: true },
    ignore: [404],
  });
  const body = res?.[index];
  if (body === undefined) {
    const alias =
      res !== undefined ? ` ("${index}" is an alias of ${Object.keys(res).join(", ")}: name the index itself)` : "";
    throw new Error(`copyFrom.index "${index}" does not exist on ${source.label}${alias}`);
  }
  const settings = settingsFromSource(body.settings ?? {}, sourceInfo, destInfo);
  // A source that was itself cut over to: its record is not copied (the new index is not live).
  const mappings = mappingsFromSource(index, withoutRecordTyped(body.mappings), sourceInfo, destInfo);
  const dropped = [
    ...settings.dropped.map((d: DroppedSetting) => `setting ${d.key} (${JSON.stringify(d.value)}): ${d.reason}`),
    ...mappings.dropped.map((d: DroppedMapping) => `mapping ${d.path}: ${d.reason}`),
  ];
  const snapshot: CopiedSnapshot = { settings: settings.settings, mappings: mappings.mappings };
  if (mappings.typeName !== undefined) snapshot.typeName = mappings.typeName;
  return { snapshot, sourceInfo, dropped };
}

/** A source's mappings as GET returns them (typeless, or by 6.x type) without our key (cutover record, origin). */
function withoutRecordTyped(mappings: Mapping | undefined): Mapping | undefined {
  if (mappings === undefined) return mappings;
  if ("_meta" in mappings || "properties" in mappings) return withoutRecord(mappings);
  return Object.fromEntries(Object.entries(mappings).map(([type, m]) => [type, withoutRecord(m)])) as Mapping;
}

/** PUT /<index> with settings, mappings (typed for 6.x) and aliases. */
export async function createIndex(
  cluster: Cluster,
  index: string,
  body: { settings: FlatSettings; mappings: Mapping; aliases?: Record<string, unknown> },
  info: ClusterInfo,
  typeName?: string,
): Promise<void> {
  const mappings =
    Object.keys(body.mappings).length === 0
      ? undefined
      : typeless(info)
        ? body.mappings
        : { [typeName ?? "_doc"]: body.mappings };
  await cluster.request({
    method: "PUT",
    path: path(index),
    body: {
      settings: body.settings,
      ...(mappings ? { mappings } : {}),
      ...(body.aliases ? { aliases: body.aliases } : {}),
    },
    // Creating twice is not harmless: the second answer would be "already exists" for our own index.
    idempotent: false,
  });
}

/** PUT /<index>/_settings with dynamic settings (null resets one to its default). */
export async function putSettings(cluster: Cluster, index: string, settings: FlatSettings): Promise<void> {
  if (Object.keys(settings).length === 0) return;
  await cluster.request({ method: "PUT", path: path(index, "/_settings"), body: settings });
}

/** PUT /<index>/_mapping: the engines merge it, adding new fields and updatable parameters. */
export async function putMapping(
  cluster: Cluster,
  index: string,
  mappings: Mapping,
  info: ClusterInfo,
  typeName?: string,
): Promise<void> {
  const suffix = typeless(info) ? "/_mapping" : `/_mapping/${encodeURIComponent(typeName ?? "_doc")}`;
  await cluster.request({ method: "PUT", path: path(index, suffix), body: mappings });
}

/** POST /_aliases with add/remove actions. */
export async function updateAliases(cluster: Cluster, actions: object[]): Promise<void> {
  if (actions.length === 0) return;
  await cluster.request({ method: "POST", path: "/_aliases", body: { actions }, idempotent: true });
}

/** DELETE /<index>, this one index only (the name was checked to hold no wildcard); a missing index is fine. */
export async function deleteIndex(cluster: Cluster, index: string): Promise<void> {
  await cluster.request({
    method: "DELETE",
    path: path(index),
    querystring: { expand_wildcards: "none", allow_no_indices: true },
    ignore: [404],
  });
}
