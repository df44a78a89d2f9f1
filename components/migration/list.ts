// Reads the source's index list for a ClusterMigration, when the program runs (preview and up alike).
import { clusterLabel, connect, parseConnection } from "../../provider/connection";
import type { ClusterConnection } from "../../provider/connection/types";
import { type ListOptions, listSourceIndices, type SourceIndexList } from "../../provider/indices";

/** The source's open, non-system indices (and what was skipped); a clear error when the source does not answer. */
export async function listForMigration(
  conn: ClusterConnection,
  opts: ListOptions,
  component: string,
): Promise<SourceIndexList> {
  const parsed = parseConnection(conn, "source");
  const cluster = connect(parsed, "source", { retry: { maxAttempts: 2 } });
  try {
    return await listSourceIndices(cluster, opts);
  } catch (e) {
    throw new Error(
      `${component}: cannot list the indices of ${clusterLabel(parsed, "source")}: ${e instanceof Error ? e.message : String(e)}. ` +
        "The index list is read whenever the program runs (pulumi preview and pulumi up): the source must answer from where Pulumi runs. " +
        "To migrate known indices without listing, declare one IndexMigration per index.",
    );
  } finally {
    await cluster.close().catch(() => undefined);
  }
}

/**
 * The names of the destination's indices (closed and hidden ones too), for the preview's line of what waits; undefined
 * when the destination does not answer (a preview before it exists): the line then says so, and each index's own
 * check reports the problem.
 */
export async function destinationIndexNames(conn: ClusterConnection): Promise<Set<string> | undefined> {
  const cluster = connect(parseConnection(conn, "destination"), "destination", { retry: { maxAttempts: 1 } });
  const names = (extra: Record<string, string>) =>
    cluster.request<{ index?: string }[]>({
      method: "GET",
      path: "/_cat/indices",
      querystring: { format: "json", h: "index", ...extra },
      timeoutMs: 10_000,
    });
  try {
    // Elasticsearch before 7.x refuses expand_wildcards on _cat/indices (and lists closed indices without it).
    const rows = await names({ expand_wildcards: "all" }).catch(() => names({}));
    return new Set(rows.map((r) => r.index ?? ""));
  } catch {
    return undefined;
  } finally {
    await cluster.close().catch(() => undefined);
  }
}
