// The checks that need facts from the clusters but no documents: versions and the destination's allow list.
// They run in check() (so `pulumi preview` reports them) when every input is known and the clusters answer;
// a cluster that cannot be reached yet (created by the same program) is not an error here.
import { connect } from "../connection/client";
import { parseClusterInfo } from "../connection/info";
import { parseClusterUrl } from "../connection/url";
import type { Cluster, ClusterConnection, ClusterInfo } from "../connection/types";
import { sourceConnection } from "./request";
import {
  allowListProblems,
  allowListSetting,
  allowListsByNode,
  fieldTypes,
  rangeFieldProblems,
  versionProblems,
} from "./rules";
import type { ReindexInputs } from "./types";
import type { Problem } from "../shared/problems";
import { isAwsDestination } from "./validate";

type Open = (conn: ClusterConnection, role: string) => Cluster;

/** Where a warning goes: by default a `warning:` line on stderr, which the Pulumi CLI shows in the stack's diagnostics. */
export type Warn = (message: string) => void;

const warnOnStderr: Warn = (m) => console.error(`warning: ${m}`);

const QUICK = { retry: { maxAttempts: 1 } };

async function quietly<T>(f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch {
    return undefined;
  }
}

/** Indices of a `GET <index>/_mapping` answer whose `_source` is disabled (6.x: under the mapping type). Pure. */
export function sourceDisabledIndices(answer: unknown): string[] {
  type SourceField = { _source?: { enabled?: unknown } } | undefined;
  const mappings = answer as Record<string, { mappings?: SourceField & Record<string, unknown> }> | undefined;
  const off = (m: unknown) => (m as SourceField)?._source?.enabled === false;
  return Object.entries(mappings ?? {})
    .filter(([, v]) => off(v?.mappings) || Object.values(v?.mappings ?? {}).some(off))
    .map(([name]) => name);
}

/** Problems that need the source's mapping whatever the transport: content verification needs `_source`. */
async function contentCheckFailures(inputs: ReindexInputs, connectFn: Open): Promise<Problem[]> {
  if (inputs.verify !== "content") return [];
  const src = connectFn(sourceConnection(inputs), "source");
  try {
    const body = await quietly(() =>
      src.request({ method: "GET", path: `/${encodeURIComponent(inputs.source.index)}/_mapping`, timeoutMs: 10_000 }),
    );
    const off = sourceDisabledIndices(body);
    if (off.length === 0) return [];
    return [
      {
        property: "verify",
        reason: `verify "content" compares each document's _source, but ${off.join(", ")} disable${off.length === 1 ? "s" : ""} _source at the source: use verify: "ids"`,
      },
    ];
  } finally {
    await src.close().catch(() => undefined);
  }
}

/**
 * Version, allow-list and mapping problems, as check failures. An allow list the destination does not show (managed
 * services hide their node settings) is a warning, not a failure: the run finds out for sure.
 */
export async function liveCheckFailures(
  inputs: ReindexInputs,
  open?: Open,
  warn: Warn = warnOnStderr,
): Promise<Problem[]> {
  const connectFn: Open = open ?? ((conn, role) => connect(conn, role, QUICK));
  const content = await contentCheckFailures(inputs, connectFn);
  if (inputs.transport !== "remote" || inputs.source.remote === undefined) return content;
  const dest = connectFn(inputs.cluster, "destination");
  const src = connectFn(sourceConnection(inputs), "source");
  try {
    // One short attempt each: a cluster this program is still creating must not hold the preview up.
    const info = (c: Cluster) =>
      quietly<ClusterInfo>(async () =>
        parseClusterInfo(await c.request({ method: "GET", path: "/", timeoutMs: 10_000 }), c.label),
      );
    const [destInfo, srcInfo] = await Promise.all([info(dest), info(src)]);
    const failures: Problem[] = [];
    if (destInfo !== undefined) {
      const aws = isAwsDestination(inputs.cluster) === true;
      for (const reason of versionProblems(destInfo, srcInfo, { aws }))
        failures.push({ property: reason.startsWith("source") ? "source" : "cluster", reason });
      const settings = await quietly(() =>
        dest.request({
          method: "GET",
          path: "/_nodes/settings",
          querystring: { flat_settings: true },
          timeoutMs: 10_000,
        }),
      );
      const lists = allowListsByNode(settings);
      const parsed = parseClusterUrl(inputs.source.remote.host, { allowPath: false });
      if (lists !== undefined && parsed.ok) {
        const hostPort = `${parsed.parts.host}:${parsed.parts.port}`;
        if (lists.size > 0) {
          for (const reason of allowListProblems(hostPort, lists, destInfo))
            failures.push({ property: "source.remote.host", reason });
        } else if (!aws) {
          // Amazon OpenSearch Service has no node-level list to set (the domain's network path is the gate).
          const setting = allowListSetting(destInfo);
          warn(
            `reindex ${inputs.source.index} -> ${inputs.destIndex}: the destination shows no ${setting} in its node settings ` +
              `(managed services such as Alibaba Cloud hide it; a self-managed node without it refuses every remote host): ` +
              `make sure "${hostPort}" is in ${setting}, or the run will fail with "not whitelisted"/"not allowlisted"`,
          );
        }
      }
    }
    // Fields the run splits or follows by ranges: read from the source's mapping (metadata, no documents).
    const rangeFields: [string, string][] = [];
    if (inputs.partitions !== undefined && (inputs.partitions.count ?? 2) > 1)
      rangeFields.push(["partitions.field", inputs.partitions.field]);
    if (inputs.mode.type === "incremental") rangeFields.push(["mode.field", inputs.mode.field]);
    for (const [property, field] of rangeFields) {
      const path = `/${encodeURIComponent(inputs.source.index)}/_mapping/field/${encodeURIComponent(field)}`;
      const body = await quietly(() => src.request({ method: "GET", path, timeoutMs: 10_000 }));
      if (body === undefined) continue;
      for (const reason of rangeFieldProblems(property, field, fieldTypes(body, field), inputs.source.index))
        failures.push({ property, reason });
    }
    return [...content, ...failures];
  } finally {
    await dest.close().catch(() => undefined);
    await src.close().catch(() => undefined);
  }
}
