// The requests a DataStream makes: read a data stream and the templates it is created from, put templates, create
// the stream. Each function takes a connected Cluster.
import type { Cluster } from "../connection/types";
import type { TemplateBody } from "./template";

const seg = (name: string) => encodeURIComponent(name);

/** One stream as `GET _data_stream/<name>` describes it. */
export interface LiveDataStream {
  name: string;
  template: string;
  timestampField: string;
  indices: { name: string; uuid: string }[];
}

/** The stream, or undefined when the cluster has none of that name. */
export async function readDataStream(c: Cluster, name: string): Promise<LiveDataStream | undefined> {
  const res = await c.request<{ data_streams?: any[] }>({ method: "GET", path: `/_data_stream/${seg(name)}`, ignore: [404], idempotent: true });
  const s = res?.data_streams?.find((d) => d?.name === name);
  if (s === undefined) return undefined;
  return {
    name,
    template: String(s.template ?? ""),
    timestampField: String(s.timestamp_field?.name ?? "@timestamp"),
    indices: (s.indices ?? []).map((i: any) => ({ name: String(i.index_name), uuid: String(i.index_uuid ?? "") })),
  };
}

/** A composable index template's body, or undefined when there is none of that name. */
export async function readIndexTemplate(c: Cluster, name: string): Promise<TemplateBody | undefined> {
  const res = await c.request<{ index_templates?: { name: string; index_template: TemplateBody }[] }>({ method: "GET", path: `/_index_template/${seg(name)}`, ignore: [404], idempotent: true });
  return res?.index_templates?.find((t) => t.name === name)?.index_template;
}

/** A component template's body, or undefined when there is none of that name. */
export async function readComponentTemplate(c: Cluster, name: string): Promise<TemplateBody | undefined> {
  const res = await c.request<{ component_templates?: { name: string; component_template: TemplateBody }[] }>({ method: "GET", path: `/_component_template/${seg(name)}`, ignore: [404], idempotent: true });
  return res?.component_templates?.find((t) => t.name === name)?.component_template;
}

export async function putIndexTemplate(c: Cluster, name: string, body: TemplateBody): Promise<void> {
  await c.request({ method: "PUT", path: `/_index_template/${seg(name)}`, body });
}

export async function putComponentTemplate(c: Cluster, name: string, body: TemplateBody): Promise<void> {
  await c.request({ method: "PUT", path: `/_component_template/${seg(name)}`, body });
}

/** `PUT _data_stream/<name>`: the stream and its first backing index, from the matching template. */
export async function createDataStream(c: Cluster, name: string): Promise<void> {
  await c.request({ method: "PUT", path: `/_data_stream/${seg(name)}` });
}
