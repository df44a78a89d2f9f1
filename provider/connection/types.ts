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
