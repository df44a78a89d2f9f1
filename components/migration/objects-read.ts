// Reads what ClusterMigration needs to plan the cluster objects, when the program runs (preview and up), like the
// index list: the source's objects of the kinds `objects` selects, the destination's, the destination's ingest
// processors, and the ingest pipelines the migrated indices name.
import { clusterLabel, connect, parseConnection } from "../../provider/connection";
import type { Cluster, ClusterConnection } from "../../provider/connection/types";
import { planObjects, readClusterObjects, readIngestProcessors } from "../../provider/objects";
import type { ObjectKind, ObjectPlanRow } from "../../provider/objects/types";
import { type IndexPipelines, indexPipelines, objectSelected, selectedKinds } from "./objects-plan";
import type { ClusterObjectsOptions } from "./types";

export interface ObjectFacts {
  /** One row per selected source object: what happens to it at the destination. */
  rows: ObjectPlanRow[];
  /** The migrated indices that name ingest pipelines, and which. */
  indexPipelines: IndexPipelines[];
  /** The ingest pipelines the destination has now. */
  destinationPipelines: Set<string>;
}

export interface ObjectScope {
  objects?: ClusterObjectsOptions;
  /** Destination name of each migrated source index (aliases are read for these indices only). */
  indexNames: Record<string, string>;
  /** Aliases an override's `alias` names: the cutover moves them, they are not copied. */
  cutoverAliases: ReadonlySet<string>;
}

async function reading<T>(
  conn: ClusterConnection,
  role: "source" | "destination",
  component: string,
  fn: (c: Cluster) => Promise<T>,
): Promise<T> {
  const parsed = parseConnection(conn, role);
  const cluster = connect(parsed, role, { retry: { maxAttempts: 2 } });
  try {
    return await fn(cluster);
  } catch (e) {
    throw new Error(
      `${component}: cannot read the cluster objects (templates, pipelines, scripts, aliases) of ${clusterLabel(parsed, role)}: ${e instanceof Error ? e.message : String(e)}. ` +
        "They are read whenever the program runs (pulumi preview and pulumi up): the cluster must answer from where Pulumi runs. " +
        "To migrate the indices only, turn every kind off: objects: { templates: false, componentTemplates: false, pipelines: false, scripts: false, aliases: false }.",
    );
  } finally {
    await cluster.close().catch(() => undefined);
  }
}

/** The source's and the destination's objects, planned; the pipelines the migrated indices name. */
export async function readObjectFacts(
  source: ClusterConnection,
  destination: ClusterConnection,
  scope: ObjectScope,
  component: string,
): Promise<ObjectFacts> {
  const kinds = selectedKinds(scope.objects);
  const sourceIndices = Object.keys(scope.indexNames);
  // Both clusters read at once (the source's error first when both fail, as one after another).
  const fromSourceRead = reading(source, "source", component, async (c) => {
    const listed =
      kinds.length === 0
        ? { info: await c.info(), objects: [] }
        : await readClusterObjects(c, { kinds, indices: sourceIndices });
    const settings =
      sourceIndices.length === 0
        ? {}
        : await c.request<Record<string, { settings?: Record<string, unknown> }>>({
            method: "GET",
            path: "/_all/_settings/index.default_pipeline,index.final_pipeline",
            querystring: { flat_settings: true },
          });
    return { ...listed, indexPipelines: indexPipelines(settings, sourceIndices) };
  });
  // The destination's pipelines are read whatever `objects` says: the finish restores the ones the indices name.
  const destKinds: ObjectKind[] = [...new Set<ObjectKind>([...kinds, "pipeline"])];
  const atDestinationRead = reading(destination, "destination", component, async (c) => ({
    ...(await readClusterObjects(c, { kinds: destKinds, indices: Object.values(scope.indexNames) })),
    processors: kinds.includes("pipeline") ? await readIngestProcessors(c) : undefined,
  }));
  atDestinationRead.catch(() => undefined);
  const fromSource = await fromSourceRead;
  const atDestination = await atDestinationRead;
  const selected = fromSource.objects.filter(
    (o) => objectSelected(scope.objects, o.kind, o.name) && !(o.kind === "alias" && scope.cutoverAliases.has(o.name)),
  );
  const rows = planObjects(selected, atDestination.objects, {
    sourceInfo: fromSource.info,
    destInfo: atDestination.info,
    processors: atDestination.processors,
    indexNames: scope.indexNames,
  });
  const destinationPipelines = new Set(atDestination.objects.filter((o) => o.kind === "pipeline").map((o) => o.name));
  return { rows, indexPipelines: fromSource.indexPipelines, destinationPipelines };
}
