// The requests a DataStream makes for the stream itself (its templates go through the cluster objects' functions,
// ../objects): read a data stream, create one. Each function takes a connected Cluster.
import type { Cluster } from "../connection/types";

/** One stream as `GET _data_stream/<name>` describes it. */
export interface LiveDataStream {
  name: string;
  template: string;
  timestampField: string;
  indices: { name: string; uuid: string }[];
}

/** One stream of `GET _data_stream/<name>`. */
interface DataStreamEntry {
  name?: string;
  template?: string;
  timestamp_field?: { name?: string };
  indices?: { index_name?: string; index_uuid?: string }[];
}

/** The stream, or undefined when the cluster has none of that name. */
export async function readDataStream(c: Cluster, name: string): Promise<LiveDataStream | undefined> {
  const res = await c.request<{ data_streams?: DataStreamEntry[] } | undefined>({
    method: "GET",
    path: `/_data_stream/${encodeURIComponent(name)}`,
    ignore: [404],
    idempotent: true,
  });
  const s = res?.data_streams?.find((d) => d?.name === name);
  if (s === undefined) return undefined;
  return {
    name,
    template: String(s.template ?? ""),
    timestampField: String(s.timestamp_field?.name ?? "@timestamp"),
    indices: (s.indices ?? []).map((i) => ({ name: String(i.index_name), uuid: String(i.index_uuid ?? "") })),
  };
}

/** `PUT _data_stream/<name>`: the stream and its first backing index, from the matching template. */
export async function createDataStream(c: Cluster, name: string): Promise<void> {
  await c.request({ method: "PUT", path: `/_data_stream/${encodeURIComponent(name)}` });
}
