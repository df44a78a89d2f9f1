// Flavor and version from the body of `GET /`. OpenSearch says `version.distribution: "opensearch"`;
// Elasticsearch has no distribution field (6.x-9.x).
import type { ClusterInfo } from "./types";

/** Reads a `GET /` body; throws (with `label` in the message) when it is not Elasticsearch or OpenSearch. */
export function parseClusterInfo(body: unknown, label: string): ClusterInfo {
  const version = (body as { version?: { number?: unknown; distribution?: unknown } } | null)?.version;
  const number = typeof version?.number === "string" ? version.number : undefined;
  const m = number !== undefined ? /^(\d+)\.(\d+)/.exec(number) : null;
  if (number === undefined || m === null) {
    const shown = JSON.stringify(body)?.slice(0, 200);
    throw new Error(
      `${label}: GET / did not answer like Elasticsearch or OpenSearch (no version.number): ${shown}. ` +
        "Check that the URL points at the cluster's HTTP port (9200, or 443 behind AWS), not at Kibana/Dashboards or a proxy page",
    );
  }
  return {
    flavor: version?.distribution === "opensearch" ? "opensearch" : "elasticsearch",
    version: number,
    major: Number(m[1]),
    minor: Number(m[2]),
  };
}
