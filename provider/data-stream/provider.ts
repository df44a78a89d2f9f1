// The DataStream dynamic provider: a data stream at the destination, created from its composable index template
// (put first, with the component templates it is composed of), adopted when asked, updated in place when the
// template changes, and never deleted with its documents (delete leaves the stream and its template).
import type * as pulumi from "@pulumi/pulumi";
import { connect } from "../connection/client";
import type { Cluster, ClusterConnection, ClusterInfo } from "../connection/types";
import { containsUnknown } from "../connection/unknown";
import { hasDataStreams, readDataStreams } from "../indices";
import { providerLog } from "../shared/log";
import { flavorName } from "../shared/versions";
import { guardAction } from "../shared/live-destination";
import { plain } from "../shared/results";
import { stableJson as stable } from "../shared/stable-json";
import {
  canonicalBody,
  readObject,
  translateObject,
  writeRequests,
  type ObjectBody,
  type ObjectKind,
} from "../objects";
import { defineProvider } from "../shared/define-provider";
import type { Problem } from "../shared/problems";
import { createDataStream, readDataStream } from "./ops";
import { sameStreamTemplate, streamTemplateFor, streamTemplateProblems, type StreamTemplate } from "./template";
import type { DataStreamInputs, DataStreamOutputs } from "./types";
import { checkDataStreamInputs } from "./validate";

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

const TITLE: Record<"indexTemplate" | "componentTemplate", string> = {
  indexTemplate: "index template",
  componentTemplate: "component template",
};

/** One template of the source as the destination takes it: its body, what was left out, or why it cannot be made. */
async function templateForDestination(
  src: Cluster,
  kind: "indexTemplate" | "componentTemplate",
  name: string,
  dest: ClusterInfo,
): Promise<{ body?: ObjectBody; dropped: string[]; problem?: string }> {
  const obj = await readObject(src, kind, name);
  if (obj === undefined) return { dropped: [], problem: `${TITLE[kind]} "${name}" is not on the source` };
  const t = translateObject(obj, { sourceInfo: await src.info(), destInfo: dest });
  if (t.cannot.length > 0)
    return {
      dropped: t.dropped,
      problem: `${TITLE[kind]} "${name}" cannot be made at the destination: ${t.cannot.join("; ")}`,
    };
  return { body: kind === "indexTemplate" ? streamTemplateFor(t.body, dest) : t.body, dropped: t.dropped };
}

/** Why a destination of a version with data streams still cannot hold one (no data stream API), or undefined. */
async function withoutDataStreamApi(dest: Cluster, stream: string): Promise<string | undefined> {
  if ((await readDataStreams(dest)) !== undefined) return undefined;
  const info = await dest.info();
  return `the destination runs ${flavorName(info)} ${info.version} without a data stream API (Elasticsearch's OSS distribution: data streams are an x-pack feature there), so it cannot hold data stream "${stream}": use the default distribution, or leave the stream out (ClusterMigration: objects: { dataStreams: false }, or exclude it)`;
}

/** The source stream's template and the component templates it is composed of, as the destination takes them. */
export async function templateFromSource(
  src: Cluster,
  streamName: string,
  dest: ClusterInfo,
): Promise<{ template?: StreamTemplate; problems: Problem[]; dropped: string[] }> {
  const stream = await readDataStream(src, streamName);
  if (stream === undefined)
    return {
      problems: [
        {
          property: "copyFrom.name",
          reason: `the source has no data stream "${streamName}": name a stream GET _data_stream lists there`,
        },
      ],
      dropped: [],
    };
  const index = await templateForDestination(src, "indexTemplate", stream.template, dest);
  if (index.body === undefined) {
    const reason = `data stream "${streamName}" was created from template "${stream.template}", but ${index.problem}: the destination cannot create the stream without its template; declare template`;
    return { problems: [{ property: "template", reason }], dropped: index.dropped };
  }
  const dropped = index.dropped.map((d) => `index template "${stream.template}": ${d}`);
  const components: Record<string, ObjectBody> = {};
  const problems: Problem[] = [];
  for (const name of (index.body.composed_of as string[] | undefined) ?? []) {
    const c = await templateForDestination(src, "componentTemplate", name, dest);
    dropped.push(...c.dropped.map((d) => `component template "${name}": ${d}`));
    if (c.body === undefined)
      problems.push({ property: "template", reason: `template "${stream.template}" is composed of ${c.problem}` });
    else components[name] = c.body;
  }
  return { template: { name: stream.template, body: index.body, components }, problems, dropped };
}

/** A declared template in the canonical form the destination's answers are compared in. */
function canonicalTemplate(t: StreamTemplate): StreamTemplate {
  const components = Object.fromEntries(
    Object.entries(t.components ?? {}).map(([name, body]) => [name, canonicalBody("componentTemplate", body).body]),
  );
  return { name: t.name, body: canonicalBody("indexTemplate", t.body).body, components };
}

const liveBody = async (dest: Cluster, kind: ObjectKind, name: string) => (await readObject(dest, kind, name))?.body;

/** What already exists at the destination under the stream's and its templates' names, said as check failures. */
async function existingProblems(dest: Cluster, i: DataStreamInputs, t: StreamTemplate | undefined): Promise<Problem[]> {
  if (i.adoptExisting) return [];
  const failures: Problem[] = [];
  if ((await readDataStream(dest, i.name)) !== undefined) {
    failures.push({
      property: "name",
      reason: `data stream "${i.name}" already exists at the destination: set adoptExisting: true to take it over (its documents stay; a copy adds what it lacks), or give the stream another name`,
    });
  }
  const other = (kind: string, name: string) =>
    `${kind} "${name}" exists at the destination with another body: set adoptExisting: true to keep the destination's and create the stream from it, or remove or rename the destination's template first`;
  if (t === undefined) return failures;
  const live = await liveBody(dest, "indexTemplate", t.name);
  if (live !== undefined && !sameStreamTemplate(live, t.body))
    failures.push({ property: "template", reason: other("index template", t.name) });
  for (const [name, body] of Object.entries(t.components)) {
    const c = await liveBody(dest, "componentTemplate", name);
    if (c !== undefined && !sameStreamTemplate(c, body))
      failures.push({ property: "template", reason: other("component template", name) });
  }
  return failures;
}

/**
 * Whether the program marked the destination live (`phase: "cutover-done"`, the cutover guard's own decision): the
 * stream and its template are no longer created, put or changed. Pure.
 */
export function streamIsLive(i: Pick<DataStreamInputs, "phase">): boolean {
  return guardAction("write", { phase: i.phase }) !== "run";
}

const liveLine = (name: string, what: string) =>
  `data stream ${name}: phase "cutover-done": the destination is live, ${what}`;

const isNew = (olds: unknown) => olds === undefined || olds === null || Object.keys(olds as object).length === 0;

/** check: the inputs' shape, then (known) the destination's version, the source's template and what exists already. */
export async function checkDataStream(
  news: Record<string, unknown>,
  olds: Record<string, unknown> | undefined,
  open: Open = quick,
): Promise<{ inputs: DataStreamInputs; problems: Problem[] }> {
  const { inputs, problems: failures } = checkDataStreamInputs(news);
  if (failures.length > 0 || containsUnknown(inputs)) return { inputs, problems: failures };
  return using(open(inputs.cluster, "destination"), async (dest) => {
    // A destination that does not answer yet (created by the same program) is the create's to find out.
    const info = await dest.info().catch(() => undefined);
    if (info === undefined) return { inputs, problems: [] };
    const tooOld = cannotHoldDataStream(inputs.name, info) ?? (await withoutDataStreamApi(dest, inputs.name));
    if (tooOld !== undefined) return { inputs, problems: [{ property: "cluster", reason: tooOld }] };
    // A live destination is the application's: nothing is checked against it to be made there.
    if (streamIsLive(inputs)) return { inputs, problems: [] };
    // The template is another resource's: only the stream's own name is checked.
    if (inputs.manageTemplate === false)
      return { inputs, problems: isNew(olds) ? await existingProblems(dest, inputs, undefined) : [] };
    let template = inputs.template === undefined ? undefined : canonicalTemplate(inputs.template);
    if (inputs.copyFrom !== undefined && template === undefined) {
      const read = await using(open(inputs.copyFrom.cluster, "source"), (src) =>
        templateFromSource(src, inputs.copyFrom!.name ?? inputs.name, info),
      );
      for (const d of read.dropped) say(`data stream ${inputs.name}: ${d} (left out)`);
      if (read.problems.length > 0) return { inputs, problems: read.problems };
      template = read.template!;
    }
    const checked: DataStreamInputs = { ...inputs, template };
    const problems = streamTemplateProblems(inputs.name, template!).map((reason) => ({ property: "template", reason }));
    if (problems.length > 0) return { inputs: checked, problems };
    return { inputs: checked, problems: isNew(olds) ? await existingProblems(dest, checked, template!) : [] };
  });
}

/** The properties whose change makes another stream: its cluster or its name. Pure. */
export function replacingStreamProperties(olds: Partial<DataStreamInputs>, news: DataStreamInputs): string[] {
  const out: string[] = [];
  if (olds.cluster?.url !== news.cluster.url) out.push("cluster");
  if (olds.name !== news.name) out.push("name");
  return out;
}

const templateOf = (i: Partial<DataStreamInputs>) =>
  stable({ name: i.template?.name, body: i.template?.body, components: i.template?.components ?? {} });

/** diff: another stream (cluster, name) replaces (the old one stays: delete never removes data); a changed template updates in place. */
export async function diffDataStream(
  olds: DataStreamOutputs,
  news: DataStreamInputs,
): Promise<pulumi.dynamic.DiffResult> {
  if (streamIsLive(news)) {
    say(liveLine(olds.name, "the stream and its template are left as they are there"));
    return { changes: false };
  }
  if (containsUnknown(news)) return { changes: true };
  const replaces = replacingStreamProperties(olds, news);
  if (replaces.length > 0) {
    say(
      `data stream ${olds.name}: ${replaces.join(", ")} changed: up creates data stream ${news.name} and leaves ${olds.name} where it is, with its documents`,
    );
    return { changes: true, replaces };
  }
  const templateChanged = templateOf(olds) !== templateOf(news);
  if (templateChanged)
    say(
      `data stream ${news.name}: template "${news.template?.name}" differs from the destination's: up puts it (the stream's backing indices keep their mappings; the next rollover takes the new ones)`,
    );
  return { changes: templateChanged || Boolean(olds.adoptExisting) !== Boolean(news.adoptExisting) };
}

/** Puts the templates that are missing or (ours: `overwrite`) differ; a template of another body is kept when adopting. */
async function putTemplates(dest: Cluster, i: DataStreamInputs, overwrite: boolean): Promise<void> {
  const t = i.template;
  if (t === undefined) return;
  const info = await dest.info();
  const put = async (kind: "indexTemplate" | "componentTemplate", name: string, body: ObjectBody) => {
    const live = await liveBody(dest, kind, name);
    if (live !== undefined && sameStreamTemplate(live, body)) return;
    if (live !== undefined && !overwrite) {
      if (i.adoptExisting)
        return say(
          `data stream ${i.name}: ${TITLE[kind]} "${name}" exists at the destination with another body: kept (adoptExisting)`,
        );
      throw new Error(
        `data stream ${i.name}: ${TITLE[kind]} "${name}" exists at the destination with another body: set adoptExisting: true to keep it, or remove or rename it first`,
      );
    }
    for (const req of writeRequests(kind, name, body, info)) await dest.request(req);
    say(
      `data stream ${i.name}: ${TITLE[kind]} "${name}" ${live === undefined ? "created" : "updated"} at the destination`,
    );
  };
  // Component templates first: an index template naming a missing one is refused.
  for (const [name, body] of Object.entries(t.components)) await put("componentTemplate", name, body);
  await put("indexTemplate", t.name, t.body);
}

async function streamOutputs(
  dest: Cluster,
  i: DataStreamInputs,
  adopted: boolean,
  uuid?: string,
): Promise<DataStreamOutputs> {
  const live = await readDataStream(dest, i.name);
  if (live === undefined)
    throw new Error(`data stream ${i.name}: not found at the destination right after it was created`);
  return plain({
    ...i,
    uuid: uuid ?? live.indices[0]?.uuid ?? "",
    timestampField: live.timestampField,
    backingIndices: live.indices.map((x) => x.name),
    templateName: live.template,
    adopted,
  });
}

/** create: the templates, then the stream (or the existing stream, with adoptExisting). */
export async function createDataStreamResource(i: DataStreamInputs): Promise<{ id: string; outs: DataStreamOutputs }> {
  return using(connect(i.cluster, "destination"), async (dest) => {
    const info = await dest.info();
    const tooOld = cannotHoldDataStream(i.name, info);
    if (tooOld !== undefined) throw new Error(tooOld);
    const existing = await readDataStream(dest, i.name);
    if (streamIsLive(i)) {
      if (existing === undefined) {
        say(liveLine(i.name, "the stream is not there and is not created"));
        return {
          id: i.name,
          outs: plain({ ...i, uuid: "", timestampField: "", backingIndices: [], templateName: "", adopted: false }),
        };
      }
      say(liveLine(i.name, "the stream there is taken over as it is"));
      return { id: i.name, outs: await streamOutputs(dest, i, true) };
    }
    if (existing !== undefined && !i.adoptExisting)
      throw new Error(
        `data stream "${i.name}" already exists at the destination: set adoptExisting: true to take it over, or give the stream another name`,
      );
    await putTemplates(dest, i, false);
    if (existing === undefined) {
      await createDataStream(dest, i.name);
      say(
        `data stream ${i.name}: created at the destination${i.template === undefined ? "" : ` from template "${i.template.name}"`}`,
      );
    } else say(`data stream ${i.name}: exists at the destination: taken over (adoptExisting)`);
    return { id: i.name, outs: await streamOutputs(dest, i, existing !== undefined) };
  });
}

/** update: the changed template put again; the stream created again if it is gone. */
export async function updateDataStreamResource(
  id: string,
  olds: DataStreamOutputs,
  news: DataStreamInputs,
): Promise<{ outs: DataStreamOutputs }> {
  if (streamIsLive(news)) return { outs: plain({ ...olds, phase: news.phase }) };
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
  if (props?.cluster === undefined)
    throw new Error(
      `DataStream "${id}": reading needs its recorded properties (import is not supported: use adoptExisting)`,
    );
  return using(connect(props.cluster, "destination"), async (dest) => {
    const live = await readDataStream(dest, id);
    if (live === undefined) return { id: "", props: {} };
    let template = props.template;
    if (template !== undefined) {
      const body = await liveBody(dest, "indexTemplate", template.name);
      if (body !== undefined && !sameStreamTemplate(body, template.body)) template = { ...template, body };
    }
    return {
      id,
      props: plain({
        ...props,
        template,
        timestampField: live.timestampField,
        backingIndices: live.indices.map((x) => x.name),
        templateName: live.template,
      }),
    };
  });
}

/** delete: leaves the stream, its documents and its templates at the destination, and says so. */
export async function deleteDataStreamResource(id: string, props: DataStreamOutputs): Promise<void> {
  say(
    `data stream ${id}: left at the destination with its documents${props.templateName ? ` and template "${props.templateName}"` : ""}: DataStream never deletes data ` +
      `(to delete it, DELETE _data_stream/${id} deletes the stream with its backing indices)`,
  );
}

export const dataStreamProvider = defineProvider<DataStreamInputs, DataStreamOutputs>({
  check: (news, olds) => checkDataStream(news, olds),
  diff: (_id, olds, news) => diffDataStream(olds, news),
  create: (inputs) => createDataStreamResource(inputs),
  update: (id, olds, news) => updateDataStreamResource(id, olds, news),
  read: (id, props) => readDataStreamResource(id, props),
  delete: (id, props) => deleteDataStreamResource(id, props),
}) as pulumi.dynamic.ResourceProvider;
