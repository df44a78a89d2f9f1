// The connection layer: one way for every resource to reach Elasticsearch 6.x-9.x and OpenSearch 1.x-3.x.
export * from "./types";
export { UNKNOWN, isUnknown, containsUnknown } from "./unknown";
export { checkConnection, clusterConnectionSchema, parseConnection } from "./schema";
export { ConnectionConfigError, ClusterRequestError } from "./errors";
export { redact } from "./redact";
export { connect, clusterLabel, type ConnectOptions } from "./client";
export { parseClusterInfo } from "./info";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry";
