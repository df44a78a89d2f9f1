// The DataStream dynamic provider: a data stream at the destination, created from its composable index template
// (put first, with the component templates it is composed of), adopted when asked, updated in place when the
// template changes, and never deleted with its documents (delete leaves the stream and its template).
import type * as pulumi from "@pulumi/pulumi";
import { connect } from "../connection/client";
import { flavorName } from "../shared/versions";
import type { Cluster, ClusterConnection, ClusterInfo } from "../connection/types";
import { containsUnknown } from "../connection/unknown";
import { hasDataStreams } from "../indices";
import { providerLog } from "../shared/log";
import { plain } from "../shared/results";
import { stableJson as stable } from "../shared/stable-json";
import { createDataStream, putComponentTemplate, putIndexTemplate, readComponentTemplate, readDataStream, readIndexTemplate } from "./ops";
import { componentTemplateFor, indexTemplateFor, sameTemplate, streamTemplateProblems, type DroppedTemplateSetting, type StreamTemplate } from "./template";
import type { DataStreamInputs, DataStreamOutputs } from "./types";
import { checkDataStreamInputs, type Failure } from "./validate";

type Open = (conn: ClusterConnection, role: string) => Cluster;
const quick: Open = (conn, role) => connect(conn, role, { retry: { maxAttempts: 1 } });
const say = (m: string) => providerLog().info(m);

async function using<T>(c: Cluster, f: (c: Cluster) => Promise<T>): Promise<T> {
  try {
    return await f(c);
  } finally {
    await c.close().catch(() => undefined);
  }
}

/** Why the destination cannot hold a data stream, or undefined when it can. Pure. */
export function cannotHoldDataStream(stream: string, dest: ClusterInfo): string | undefined {
  if (hasDataStreams(dest)) return undefined;
  return `the destination runs ${flavorName(dest)} ${dest.version}, which cannot hold data stream "${stream}" (data streams came with Elasticsearch 7.9 and OpenSearch 1.0): upgrade the destination, or leave the stream out (ClusterMigration: objects: { dataStreams: false }, or exclude it)`;
}

/** The source stream's template and the component templates it is composed of, as the destination takes them. */
export async function templateFromSource(src: Cluster, streamName: string, dest: ClusterInfo): Promise<{ template?: StreamTemplate; failures: Failure[]; dropped: DroppedTemplateSetting[] }> {
  const stream = await readDataStream(src, streamName);
  if (stream === undefined) return { failures: [{ property: "copyFrom.name", reason: `the source has no data stream "${streamName}": name a stream GET _data_stream lists there` }], dropped: [] };
  const raw = await readIndexTemplate(src, stream.template);
  if (raw === undefined) {
    const reason = `the source's data stream "${streamName}" was created from template "${stream.template}", which the source no longer has: the destination cannot create the stream without one; declare template`;
    return { failures: [{ property: "template", reason }], dropped: [] };
  }
  const { body, dropped } = indexTemplateFor(stream.template, raw, dest);
  const components: Record<string, Record<string, unknown>> = {};
  const failures: Failure[] = [];
  for (const name of (body.composed_of as string[] | undefined) ?? []) {
    const c = await readComponentTemplate(src, name);
    if (c === undefined) failures.push({ property: "template", reason: `template "${stream.template}" is composed of "${name}", which the source does not have` });
    else {
      const copied = componentTemplateFor(name, c, dest);
      components[name] = copied.body;
      dropped.push(...copied.dropped);
    }
  }
  return { template: { name: stream.template, body, components }, failures, dropped };
}

/** What already exists at the destination under the stream's and its templates' names, said as check failures. */
async function existingProblems(dest: Cluster, i: DataStreamInputs, t: StreamTemplate): Promise<Failure[]> {
  if (i.adoptExisting) return [];
  const failures: Failure[] = [];
  if ((await readDataStream(dest, i.name)) !== undefined) {
    failures.push({ property: "name", reason: `data stream "${i.name}" already exists at the destination: set adoptExisting: true to take it over (its documents stay; a copy adds what it lacks), or give the stream another name` });
  }
  const other = (kind: string, name: string) =>
    `${kind} "${name}" exists at the destination with another body: set adoptExisting: true to keep the destination's and create the stream from it, or remove or rename the destination's template first`;
  const live = await readIndexTemplate(dest, t.name);
  if (live !== undefined && !sameTemplate(live, t.body)) failures.push({ property: "template", reason: other("index template", t.name) });
  for (const [name, body] of Object.entries(t.components)) {
    const c = await readComponentTemplate(dest, name);
    if (c !== undefined && !sameTemplate(c, body)) failures.push({ property: "template", reason: other("component template", name) });
  }
  return failures;
}

const isNew = (olds: unknown) => olds === undefined || olds === null || Object.keys(olds as object).length === 0;

/** check: the inputs' shape, then (known) the destination's version, the source's template and what exists already. */
export async function checkDataStream(olds: Record<string, unknown> | undefined, news: Record<string, unknown>, open: Open = quick): Promise<{ inputs: DataStreamInputs; failures: Failure[] }> {
  const { inputs, failures } = checkDataStreamInputs(news);
  if (failures.length > 0 || containsUnknown(inputs)) return { inputs, failures };
  return using(open(inputs.cluster, "destination"), async (dest) => {
    // A destination that does not answer yet (created by the same program) is the create's to find out.
    const info = await dest.info().catch(() => undefined);
    if (info === undefined) return { inputs, failures };
    const tooOld = cannotHoldDataStream(inputs.name, info);
    if (tooOld !== undefined) return { inputs, failures: [{ property: "cluster", reason: tooOld }] };
    let template = inputs.template;
    if (inputs.copyFrom !== undefined && template === undefined) {
      const read = await using(open(inputs.copyFrom.cluster, "source"), (src) => templateFromSource(src, inputs.copyFrom!.name ?? inputs.name, info));
      for (const d of read.dropped) say(`data stream ${inputs.name}: template "${d.template}": setting ${d.setting} left out (${d.reason})`);
      if (read.failures.length > 0) return { inputs, failures: read.failures };
      template = read.template!;
    }
    const checked: DataStreamInputs = { ...inputs, template };
    const problems = streamTemplateProblems(inputs.name, template!).map((reason) => ({ property: "template", reason }));
    if (problems.length > 0) return { inputs: checked, failures: problems };
    return { inputs: checked, failures: isNew(olds) ? await existingProblems(dest, checked, template!) : [] };
  });
}

/** The properties whose change makes another stream: its cluster or its name. Pure. */
export function replacingStreamProperties(olds: Partial<DataStreamInputs>, news: DataStreamInputs): string[] {
  const out: string[] = [];
  if (olds.cluster?.url !== news.cluster.url) out.push("cluster");
  if (olds.name !== news.name) out.push("name");
  return out;
}

const templateOf = (i: Partial<DataStreamInputs>) => stable({ name: i.template?.name, body: i.template?.body, components: i.template?.components ?? {} });

/** diff: another stream (cluster, name) replaces (the old one stays: delete never removes data); a changed template updates in place. */
export async function diffDataStream(olds: DataStreamOutputs, news: DataStreamInputs): Promise<pulumi.dynamic.DiffResult> {
  if (containsUnknown(news)) return { changes: true };
  const replaces = replacingStreamProperties(olds, news);
  if (replaces.length > 0) {
    say(`data stream ${olds.name}: ${replaces.join(", ")} changed: up creates data stream ${news.name} and leaves ${olds.name} where it is, with its documents`);
    return { changes: true, replaces };
  }
  const templateChanged = templateOf(olds) !== templateOf(news);
  if (templateChanged) say(`data stream ${news.name}: template "${news.template?.name}" differs from the destination's: up puts it (the stream's backing indices keep their mappings; the next rollover takes the new ones)`);
  return { changes: templateChanged || Boolean(olds.adoptExisting) !== Boolean(news.adoptExisting) };
}

/** Puts the templates that are missing or (ours: `overwrite`) differ; a template of another body is kept when adopting. */
async function putTemplates(dest: Cluster, i: DataStreamInputs, overwrite: boolean): Promise<void> {
  const t = i.template;
  if (t === undefined) return;
  const put = async (kind: string, name: string, body: Record<string, unknown>, live: Record<string, unknown> | undefined, write: () => Promise<void>) => {
    if (live !== undefined && sameTemplate(live, body)) return;
    if (live !== undefined && !overwrite) {
      if (i.adoptExisting) return say(`data stream ${i.name}: ${kind} "${name}" exists at the destination with another body: kept (adoptExisting)`);
      throw new Error(`data stream ${i.name}: ${kind} "${name}" exists at the destination with another body: set adoptExisting: true to keep it, or remove or rename it first`);
    }
    await write();
    say(`data stream ${i.name}: ${kind} "${name}" ${live === undefined ? "created" : "updated"} at the destination`);
  };
  // Component templates first: an index template naming a missing one is refused.
  for (const [name, body] of Object.entries(t.components)) {
    await put("component template", name, body, await readComponentTemplate(dest, name), () => putComponentTemplate(dest, name, body));
  }
  await put("index template", t.name, t.body, await readIndexTemplate(dest, t.name), () => putIndexTemplate(dest, t.name, t.body));
}

async function streamOutputs(dest: Cluster, i: DataStreamInputs, adopted: boolean, uuid?: string): Promise<DataStreamOutputs> {
  const live = await readDataStream(dest, i.name);
  if (live === undefined) throw new Error(`data stream ${i.name}: not found at the destination right after it was created`);
  return plain({ ...i, uuid: uuid ?? live.indices[0]?.uuid ?? "", timestampField: live.timestampField, backingIndices: live.indices.map((x) => x.name), templateName: live.template, adopted });
}

/** create: the templates, then the stream (or the existing stream, with adoptExisting). */
export async function createDataStreamResource(i: DataStreamInputs): Promise<{ id: string; outs: DataStreamOutputs }> {
  return using(connect(i.cluster, "destination"), async (dest) => {
    const info = await dest.info();
    const tooOld = cannotHoldDataStream(i.name, info);
    if (tooOld !== undefined) throw new Error(tooOld);
    const existing = await readDataStream(dest, i.name);
    if (existing !== undefined && !i.adoptExisting) throw new Error(`data stream "${i.name}" already exists at the destination: set adoptExisting: true to take it over, or give the stream another name`);
    await putTemplates(dest, i, false);
    if (existing === undefined) {
      await createDataStream(dest, i.name);
      say(`data stream ${i.name}: created at the destination from template "${i.template?.name}"`);
    } else say(`data stream ${i.name}: exists at the destination: taken over (adoptExisting)`);
    return { id: i.name, outs: await streamOutputs(dest, i, existing !== undefined) };
  });
}

/** update: the changed template put again; the stream created again if it is gone. */
export async function updateDataStreamResource(id: string, olds: DataStreamOutputs, news: DataStreamInputs): Promise<{ outs: DataStreamOutputs }> {
  return using(connect(news.cluster, "destination"), async (dest) => {
    await putTemplates(dest, news, !olds.adopted || templateOf(olds) !== templateOf(news));
    let uuid: string | undefined = olds.uuid;
    if ((await readDataStream(dest, id)) === undefined) {
      await createDataStream(dest, id);
      say(`data stream ${id}: was gone from the destination: created again (its copy runs again in full)`);
      uuid = undefined;
    }
    return { outs: await streamOutputs(dest, news, olds.adopted, uuid) };
  });
}

/** refresh: the stream's backing indices and the destination's template (a changed one shows as drift); gone when the stream is. */
export async function readDataStreamResource(id: string, props: DataStreamOutputs): Promise<pulumi.dynamic.ReadResult> {
  if (props?.cluster === undefined) throw new Error(`DataStream "${id}": reading needs its recorded properties (import is not supported: use adoptExisting)`);
  return using(connect(props.cluster, "destination"), async (dest) => {
    const live = await readDataStream(dest, id);
    if (live === undefined) return { id: "", props: {} };
    let template = props.template;
    if (template !== undefined) {
      const body = await readIndexTemplate(dest, template.name);
      if (body !== undefined && !sameTemplate(body, template.body)) template = { ...template, body };
    }
    return { id, props: plain({ ...props, template, timestampField: live.timestampField, backingIndices: live.indices.map((x) => x.name), templateName: live.template }) };
  });
}

/** delete: leaves the stream, its documents and its templates at the destination, and says so. */
export async function deleteDataStreamResource(id: string, props: DataStreamOutputs): Promise<void> {
  say(
    `data stream ${id}: left at the destination with its documents${props.templateName ? ` and template "${props.templateName}"` : ""}: DataStream never deletes data ` +
      `(to delete it, DELETE _data_stream/${id} deletes the stream with its backing indices)`,
  );
}

export const dataStreamProvider: pulumi.dynamic.ResourceProvider = {
  check: (olds: any, news: any) => checkDataStream(olds, news),
  diff: (_id: string, olds: any, news: any) => diffDataStream(olds, news),
  create: (inputs: any) => createDataStreamResource(inputs),
  update: (id: string, olds: any, news: any) => updateDataStreamResource(id, olds, news),
  read: (id: string, props: any) => readDataStreamResource(id, props),
  delete: (id: string, props: any) => deleteDataStreamResource(id, props),
};
