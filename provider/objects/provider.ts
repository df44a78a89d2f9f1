// The one provider of every cluster-object kind: check validates (and, for a new object, asks the destination
// whether one of that name already exists with another definition: a preview error, never an overwrite), diff says
// which keys change, create/update PUT the definition, read reports drift, delete removes the object only.
import type * as pulumi from "@pulumi/pulumi";
import { connect, type ConnectOptions } from "../connection/client";
import type { Cluster, ClusterConnection, ClusterInfo } from "../connection/types";
import { containsUnknown } from "../connection/unknown";
import { defineProvider } from "../shared/define-provider";
import { guardAction } from "../shared/live-destination";
import { providerLog as log } from "../shared/log";
import { type Problem, Problems, problemsFromZod } from "../shared/problems";
import { plain } from "../shared/results";
import { bodyDifferences, sameBody } from "./compare";
import { KINDS } from "./kinds";
import { canonicalBody } from "./read-shapes";
import { indicesNamingPipeline, readIngestProcessors, readObject, readScriptLanguages } from "./read";
import { deleteRequests, writeRequests } from "./requests";
import { INPUT_SCHEMAS, type ObjectInputs, OUTPUT_ONLY } from "./schema";
import { objectLabel, translateObject } from "./translate";
import type { ObjectBody, ObjectKind } from "./types";

/** What the state records for an object: its inputs and what was made of them. */
export type ObjectOutputs = ObjectInputs & {
  /** The definition at the destination (canonical): the declared body, or the source's translated. */
  body: ObjectBody;
  /** The source's 6.x mapping type, kept for a 6.x destination. */
  typeName?: string;
  /** What the translation from the source left out, each with why. */
  dropped: string[];
  sourceInfo?: ClusterInfo;
  destInfo: ClusterInfo;
  /** True when the object existed at the destination and was taken over rather than created. */
  adopted: boolean;
};

/** The definition an object should have at the destination, read and translated from its source if copied. */
interface Desired {
  body: ObjectBody;
  typeName?: string;
  dropped: string[];
  sourceInfo?: ClusterInfo;
  /** Why the destination cannot hold it; empty when it can. */
  cannot: string[];
}

// At preview (check, diff) a cluster that does not answer at once is left for create to ask again: one attempt.
const QUICK: ConnectOptions = { retry: { maxAttempts: 1 } };

async function withDestination<T>(conn: ClusterConnection, fn: (c: Cluster) => Promise<T>, quick = false): Promise<T> {
  const c = connect(conn, "destination", quick ? QUICK : {});
  try {
    return await fn(c);
  } finally {
    await c.close().catch(() => undefined);
  }
}

async function desiredOf(kind: ObjectKind, inputs: ObjectInputs, dest: Cluster, quick = false): Promise<Desired> {
  const destInfo = await dest.info();
  const processors = kind === "pipeline" ? await readIngestProcessors(dest) : undefined;
  const scriptLanguages = kind === "script" ? await readScriptLanguages(dest) : undefined;
  if (inputs.copyFrom === undefined) {
    // A declared body is for this destination as it is; the translation only checks what it cannot hold.
    const t = translateObject(
      { kind, name: inputs.name, body: inputs.body as ObjectBody },
      { sourceInfo: destInfo, destInfo, processors, scriptLanguages },
    );
    return { body: inputs.body as ObjectBody, dropped: [], cannot: t.cannot };
  }
  const copyFrom = inputs.copyFrom;
  const sourceName = copyFrom.name ?? inputs.name;
  const src = connect(copyFrom.source, "source", quick ? QUICK : {});
  try {
    const sourceInfo = await src.info();
    const obj = await readObject(src, kind, sourceName);
    if (obj === undefined) {
      return {
        body: {},
        dropped: [],
        sourceInfo,
        cannot: [
          `the source (${src.label}) has no ${KINDS[kind].title} "${sourceName}": check copyFrom.name, or declare the body`,
        ],
      };
    }
    const t = translateObject(obj, {
      sourceInfo,
      destInfo,
      processors,
      scriptLanguages,
      indexNames: copyFrom.indexNames,
    });
    const desired: Desired = { body: t.body, dropped: t.dropped, sourceInfo, cannot: t.cannot };
    if (obj.typeName !== undefined) desired.typeName = obj.typeName;
    return desired;
  } finally {
    await src.close().catch(() => undefined);
  }
}

function cannotMessage(kind: ObjectKind, name: string, dest: Cluster, cannot: string[]): string {
  return `${objectLabel({ kind, name })} cannot be made on ${dest.label}: ${cannot.join("; ")}`;
}

function existsMessage(kind: ObjectKind, name: string, dest: Cluster, differences: string[]): string {
  return (
    `${objectLabel({ kind, name })} already exists on ${dest.label} with another definition (it differs in ${differences.join(", ")}). ` +
    `Nothing was changed. To take it over and replace its definition with this one, set adoptExisting: true; or give this ${KINDS[kind].resource} another name.`
  );
}

function outputsOf(inputs: ObjectInputs, desired: Desired, destInfo: ClusterInfo, adopted: boolean): ObjectOutputs {
  const outs: ObjectOutputs = { ...inputs, body: desired.body, dropped: desired.dropped, destInfo, adopted };
  if (desired.typeName !== undefined) outs.typeName = desired.typeName;
  if (desired.sourceInfo !== undefined) outs.sourceInfo = desired.sourceInfo;
  return plain(outs);
}

/**
 * Whether the program marked the destination live (`phase: "cutover-done"`, the cutover guard's own decision): from
 * then on nothing is written to the object, so what the application changed at the destination stays. Pure.
 */
export function objectIsLive(inputs: Pick<ObjectInputs, "phase">, op: "write" | "delete" = "write"): boolean {
  return guardAction(op, { phase: inputs.phase }) !== "run";
}

const liveMessage = (kind: ObjectKind, name: string, what: string) =>
  `${KINDS[kind].resource} "${name}": phase "cutover-done": the destination is live, ${what}`;

async function write(
  dest: Cluster,
  kind: ObjectKind,
  name: string,
  desired: Desired,
  previous?: ObjectBody,
): Promise<void> {
  const destInfo = await dest.info();
  if (kind === "alias") {
    const missing = await missingIndices(dest, Object.keys(desired.body));
    if (missing.length > 0) {
      throw new Error(
        `IndexAlias "${name}" cannot point to ${missing.join(", ")}: ${dest.label} has no such ${missing.length === 1 ? "index" : "indices"}. ` +
          "Create them first (dependsOn the resources that make them), or map source indices to their destination names with copyFrom.indexNames.",
      );
    }
  }
  for (const req of writeRequests(kind, name, desired.body, destInfo, { typeName: desired.typeName, previous }))
    await dest.request(req);
}

async function missingIndices(dest: Cluster, indices: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const index of indices) {
    // HEAD answers true or false.
    const exists = await dest.request<boolean>({
      method: "HEAD",
      path: `/${encodeURIComponent(index)}`,
      ignore: [404],
    });
    if (exists !== true) missing.push(index);
  }
  return missing;
}

/** Validation, then (for a new object or a new name) what only the clusters know, so preview says it. */
async function checkObject(
  kind: ObjectKind,
  news: Record<string, unknown>,
  olds: Record<string, unknown>,
): Promise<{ inputs: ObjectInputs; problems: Problem[] }> {
  const given = Object.fromEntries(
    Object.entries(news).filter(
      ([k, v]) => k !== "__provider" && !(OUTPUT_ONLY as readonly string[]).includes(k) && v !== undefined,
    ),
  );
  const parsed = INPUT_SCHEMAS[kind].safeParse(given);
  const passThrough = news.__provider === undefined ? {} : { __provider: news.__provider };
  if (!parsed.success)
    return { inputs: { ...news, ...passThrough } as unknown as ObjectInputs, problems: problemsFromZod(parsed.error) };
  const inputs = parsed.data as ObjectInputs;
  const problems = new Problems();
  if (!containsUnknown(inputs.name))
    for (const p of KINDS[kind].nameProblems(inputs.name, "name")) problems.add("name", p);
  if (inputs.body !== undefined && !containsUnknown(inputs.body)) {
    const canonical = canonicalBody(kind, inputs.body);
    for (const p of canonical.problems) problems.add("body", `body ${p}`);
    inputs.body = canonical.body as typeof inputs.body;
  }
  const isNew =
    olds.name === undefined ||
    olds.name !== inputs.name ||
    stableUrl(olds.destination) !== stableUrl(inputs.destination);
  // A live destination is the application's: a new object of the migration is not made there (createObject).
  if (problems.empty && isNew && !containsUnknown(inputs) && !objectIsLive(inputs))
    problems.addAll(await liveProblems(kind, inputs));
  return { inputs: { ...inputs, ...passThrough } as ObjectInputs, problems: problems.list };
}

const stableUrl = (conn: unknown): unknown =>
  conn !== null && typeof conn === "object" ? (conn as { url?: unknown }).url : conn;

/** What the clusters say about a new object at preview: what cannot be made, a different object of the name. */
async function liveProblems(kind: ObjectKind, inputs: ObjectInputs): Promise<Problem[]> {
  try {
    return await withDestination(
      inputs.destination,
      async (dest) => {
        const desired = await desiredOf(kind, inputs, dest, true);
        if (desired.cannot.length > 0)
          return [
            {
              property: inputs.copyFrom !== undefined ? "copyFrom" : "body",
              reason: cannotMessage(kind, inputs.name, dest, desired.cannot),
            },
          ];
        const existing = await readObject(dest, kind, inputs.name);
        if (existing === undefined || inputs.adoptExisting || sameBody(existing.body, desired.body)) return [];
        return [
          {
            property: "name",
            reason: existsMessage(kind, inputs.name, dest, bodyDifferences(kind, existing.body, desired.body)),
          },
        ];
      },
      true,
    );
  } catch (e) {
    // A cluster this program still creates, or not reachable yet: create() asks again.
    log().info(
      `${KINDS[kind].resource} "${inputs.name}": not checked against the clusters at preview (${(e as Error).message}); create checks again`,
    );
    return [];
  }
}

async function diffObject(
  kind: ObjectKind,
  olds: ObjectOutputs,
  news: ObjectInputs,
): Promise<pulumi.dynamic.DiffResult> {
  if (objectIsLive(news)) {
    log().info(liveMessage(kind, olds.name, "the object is left as it is there (not updated or replaced)"));
    return { changes: false };
  }
  const replaces: string[] = [];
  if (olds.name !== news.name) replaces.push("name");
  if (stableUrl(olds.destination) !== stableUrl(news.destination)) replaces.push("destination");
  if (replaces.length > 0) return { changes: true, replaces };
  if (containsUnknown(news)) return { changes: true };
  const label = `${KINDS[kind].resource} "${news.name}"`;
  let desired: Desired;
  try {
    desired = await withDestination(news.destination, (dest) => desiredOf(kind, news, dest, true), true);
  } catch (e) {
    if (news.copyFrom === undefined) desired = { body: news.body as ObjectBody, dropped: [], cannot: [] };
    else {
      log().warn(`${label}: not compared with the source (${(e as Error).message}); the recorded definition is kept`);
      return { changes: false };
    }
  }
  if (desired.cannot.length > 0)
    throw new Error(`${label}: ${objectLabel({ kind, name: news.name })} cannot be made: ${desired.cannot.join("; ")}`);
  const differences = bodyDifferences(kind, olds.body, desired.body);
  if (differences.length === 0)
    return { changes: JSON.stringify(olds.copyFrom ?? null) !== JSON.stringify(news.copyFrom ?? null) };
  const why = news.copyFrom !== undefined ? " (the source's definition changed)" : "";
  log().info(`${label} will be updated in place: ${differences.join(", ")} change${why}`);
  return { changes: true };
}

async function createObject(kind: ObjectKind, inputs: ObjectInputs): Promise<{ id: string; outs: ObjectOutputs }> {
  return withDestination(inputs.destination, async (dest) => {
    const destInfo = await dest.info();
    const desired = await desiredOf(kind, inputs, dest);
    const existing = await readObject(dest, kind, inputs.name);
    if (!objectIsLive(inputs) && desired.cannot.length > 0)
      throw new Error(cannotMessage(kind, inputs.name, dest, desired.cannot));
    if (objectIsLive(inputs)) {
      // Recorded as it is there (or not there): nothing is created or replaced at a live destination.
      log().info(
        liveMessage(
          kind,
          inputs.name,
          existing === undefined
            ? "the object is not there and is not created"
            : "the object there is taken over as it is",
        ),
      );
      return {
        id: inputs.name,
        outs: outputsOf(
          inputs,
          existing === undefined ? desired : { ...desired, body: existing.body },
          destInfo,
          existing !== undefined,
        ),
      };
    }
    let adopted = false;
    if (existing !== undefined) {
      adopted = true;
      if (sameBody(existing.body, desired.body)) {
        log().info(
          `${KINDS[kind].resource} "${inputs.name}": adopted, it already exists on ${dest.label} with this definition`,
        );
        return { id: inputs.name, outs: outputsOf(inputs, desired, destInfo, true) };
      }
      if (!inputs.adoptExisting)
        throw new Error(existsMessage(kind, inputs.name, dest, bodyDifferences(kind, existing.body, desired.body)));
      log().info(
        `${KINDS[kind].resource} "${inputs.name}": adopted, its definition on ${dest.label} replaced (${bodyDifferences(kind, existing.body, desired.body).join(", ")})`,
      );
    }
    await write(dest, kind, inputs.name, desired, existing?.body);
    return { id: inputs.name, outs: outputsOf(inputs, desired, destInfo, adopted) };
  });
}

async function updateObject(
  kind: ObjectKind,
  olds: ObjectOutputs,
  news: ObjectInputs,
): Promise<{ outs: ObjectOutputs }> {
  if (objectIsLive(news)) return { outs: plain({ ...olds, phase: news.phase }) };
  return withDestination(news.destination, async (dest) => {
    const desired = await desiredOf(kind, news, dest);
    if (desired.cannot.length > 0) throw new Error(cannotMessage(kind, news.name, dest, desired.cannot));
    // An alias is taken off the indices it no longer names, as they are now (refresh may not have run).
    const previous = kind === "alias" ? ((await readObject(dest, kind, news.name))?.body ?? olds.body) : olds.body;
    await write(dest, kind, news.name, desired, previous);
    return { outs: outputsOf(news, desired, await dest.info(), olds.adopted) };
  });
}

async function readLive(
  kind: ObjectKind,
  id: string,
  props: ObjectOutputs,
): Promise<pulumi.dynamic.ReadResult<ObjectOutputs>> {
  if (props?.destination === undefined)
    throw new Error(
      `${KINDS[kind].resource} "${id}": reading needs its recorded properties (import is not supported: use adoptExisting)`,
    );
  return withDestination(props.destination, async (dest) => {
    const live = await readObject(dest, kind, props.name);
    if (live === undefined) return { id: "", props: {} as ObjectOutputs };
    return { id, props: plain({ ...props, body: live.body }) };
  });
}

async function deleteObject(kind: ObjectKind, props: ObjectOutputs): Promise<void> {
  if (objectIsLive(props, "delete")) {
    log().info(liveMessage(kind, props.name, "the object is left there (removed from the program only)"));
    return;
  }
  await withDestination(props.destination, async (dest) => {
    if (kind === "pipeline") {
      const users = await indicesNamingPipeline(dest, props.name);
      if (users.length > 0) {
        throw new Error(
          `IngestPipeline "${props.name}" is not deleted: ${users.length === 1 ? "index" : "indices"} ${users.join(", ")} on ${dest.label} name it in index.default_pipeline or index.final_pipeline, ` +
            "and their writes would fail without it. Point them at another pipeline (or _none) first, or stop managing the pipeline without deleting it (`pulumi state delete`).",
        );
      }
    }
    // An alias comes off the indices that hold it now and that it was recorded on: never an index itself.
    const indices =
      kind === "alias"
        ? Object.keys((await readObject(dest, kind, props.name))?.body ?? {}).filter((i) => i in props.body)
        : [];
    for (const req of deleteRequests(kind, props.name, indices)) await dest.request(req);
  });
}

const providers = new Map<ObjectKind, pulumi.dynamic.ResourceProvider>();

/** The provider of `kind` (one object per kind, as Pulumi serializes a provider object once). */
export function objectProvider(kind: ObjectKind): pulumi.dynamic.ResourceProvider {
  let p = providers.get(kind);
  if (p === undefined) {
    p = defineProvider<ObjectInputs, ObjectOutputs>({
      check: (news, olds) => checkObject(kind, news, olds),
      diff: (_id, olds, news) => diffObject(kind, olds, news),
      create: (inputs) => createObject(kind, inputs),
      read: (id, props) => readLive(kind, id, props),
      update: (_id, olds, news) => updateObject(kind, olds, news),
      delete: (_id, props) => deleteObject(kind, props),
    });
    providers.set(kind, p);
  }
  return p;
}
