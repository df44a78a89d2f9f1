// The plain, serializable description of how to reach a cluster. Every resource takes one; the provider
// turns it into a client (see ./client). Secrets (password, apiKey) are marked secret by the resources.

export interface AwsSigV4Options {
  /** AWS region of the domain, e.g. "eu-west-1". Credentials come from the default AWS credential chain. */
  region: string;
  /** "es" for Amazon OpenSearch Service domains (default), "aoss" for OpenSearch Serverless. */
  service?: "es" | "aoss";
}

export interface ClusterConnection {
  /** Base URL with scheme and port, e.g. "https://search-x.eu-west-1.es.amazonaws.com:443". */
  url: string;
  /** Basic-auth user name (with `password`). */
  username?: string;
  /** Basic-auth password. Secret. */
  password?: string;
  /** Elasticsearch API key (the base64 "id:key" form). Secret. Not together with username/password. */
  apiKey?: string;
  /** Sign requests with AWS SigV4 (Amazon OpenSearch Service). */
  aws?: AwsSigV4Options;
  /** PEM of the CA that signed the cluster's certificate. */
  caCert?: string;
  /** Accept any certificate (tests only). */
  insecureSkipVerify?: boolean;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

/** What `GET /` says about a cluster. */
export interface ClusterInfo {
  flavor: "elasticsearch" | "opensearch";
  version: string;
  major: number;
  minor: number;
}

/** One HTTP request to a cluster, as `Cluster.request` takes it. */
export interface ClusterRequest {
  method: "GET" | "HEAD" | "PUT" | "POST" | "DELETE";
  /** Path from the cluster's base URL, already percent-encoded per segment, e.g. `/${encodeURIComponent(index)}/_settings`. */
  path: string;
  /** Query parameters; `undefined` values are left out. */
  querystring?: Record<string, string | number | boolean | undefined>;
  /**
   * Body: an object (sent as JSON), a string (pre-serialized JSON, or NDJSON for `_bulk` / `_msearch`), or for
   * `_bulk` / `_msearch` an array of objects (sent one JSON line each).
   */
  body?: unknown;
  /** Statuses that resolve to `undefined` instead of throwing, e.g. `[404]` for "does it exist". */
  ignore?: number[];
  /** Deadline of one attempt in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /**
   * Whether sending the request twice is harmless. Default: true for GET/HEAD/PUT/DELETE, false for POST.
   * A request that is not idempotent is retried only when the cluster surely did not act on it
   * (429, 503, connection refused), never after a timeout or a dropped connection.
   */
  idempotent?: boolean;
}

/** A connected cluster: what providers use to talk to Elasticsearch or OpenSearch. */
export interface Cluster {
  /** Role and base URL, e.g. "destination https://127.0.0.1:9200". Never contains credentials. */
  readonly label: string;
  /** `GET /` once (cached): flavor and version. */
  info(): Promise<ClusterInfo>;
  /**
   * Sends a request (with retries) and resolves to the parsed JSON body; an `ignore`d status resolves to undefined.
   * Callers that read the answer name its shape (`request<{ count: number }>`); the `any` default is for the many
   * that only wait for it (and for tests), which a default of `unknown` would not change.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  request<T = any>(req: ClusterRequest): Promise<T>;
  /** Closes the HTTP connections. */
  close(): Promise<void>;
}
