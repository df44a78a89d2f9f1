// In-process fake clusters for unit tests: a `Cluster` (the connection layer's interface) that answers each request
// from a function and records what it was sent, with no network. For tests that need real HTTP (headers, retries,
// TLS), see http-server.ts.
import type { Cluster, ClusterInfo, ClusterRequest } from "../../provider/connection/types";

export const OPENSEARCH_2_19: ClusterInfo = { flavor: "opensearch", version: "2.19.0", major: 2, minor: 19 };
export const ELASTICSEARCH_7_10: ClusterInfo = { flavor: "elasticsearch", version: "7.10.2", major: 7, minor: 10 };

export interface FakeCluster extends Cluster {
  /** Every request sent, in order. */
  readonly requests: ClusterRequest[];
}

/**
 * A cluster labelled `label` (default "fake"), of `info` (default OpenSearch 2.19), answering every request with what
 * `answer` returns (or resolves to); what `answer` throws is the request's error.
 */
export function fakeCluster(
  answer: (req: ClusterRequest) => unknown,
  opts: { label?: string; info?: ClusterInfo } = {},
): FakeCluster {
  const requests: ClusterRequest[] = [];
  return {
    label: opts.label ?? "fake",
    info: async () => opts.info ?? OPENSEARCH_2_19,
    requests,
    async request<T>(req: ClusterRequest): Promise<T> {
      requests.push(req);
      return (await answer(req)) as T;
    },
    close: async () => undefined,
  };
}
