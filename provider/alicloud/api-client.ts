// The Alibaba Cloud Elasticsearch API client the dynamic providers share (official SDK
// `@alicloud/elasticsearch20170613`). Required lazily: these functions run inside provider methods, and the
// serialized provider should capture a `require` of the package, not the package itself.
import type * as pulumi from "@pulumi/pulumi";

/** How a dynamic resource reaches the Elasticsearch API: region, credentials and, rarely, an endpoint override. */
export interface AlibabaApiArgs {
  /**
   * Region of the Elasticsearch instance, e.g. "cn-hangzhou". The API endpoint is derived from it
   * (`elasticsearch.<region>.aliyuncs.com`).
   */
  region: pulumi.Input<string>;
  /**
   * AccessKey ID. Default: the `ALIBABA_CLOUD_ACCESS_KEY_ID` (or `ALICLOUD_ACCESS_KEY`) environment variable of
   * the process running `pulumi up`. Set it only when the program gets credentials from elsewhere; it is stored as
   * a secret.
   */
  accessKeyId?: pulumi.Input<string>;
  /** AccessKey secret. Default: `ALIBABA_CLOUD_ACCESS_KEY_SECRET` (or `ALICLOUD_SECRET_KEY`). Stored as a secret. */
  accessKeySecret?: pulumi.Input<string>;
  /** STS token for temporary credentials. Default: `ALIBABA_CLOUD_SECURITY_TOKEN`. Stored as a secret. */
  securityToken?: pulumi.Input<string>;
  /**
   * API endpoint host[:port] instead of the regional one: a VPC endpoint of the API, or a stand-in server in tests.
   * Default: derived from `region`.
   */
  apiEndpoint?: pulumi.Input<string>;
  /** "HTTPS" (default) or "HTTP" (only for a local stand-in). */
  apiProtocol?: pulumi.Input<"HTTPS" | "HTTP">;
}

/** The plain form the providers see. */
export interface AlibabaApiInputs {
  region: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  apiEndpoint?: string;
  apiProtocol?: "HTTPS" | "HTTP";
}

/** Input keys that carry credentials: marked secret on the way in and kept secret in the outputs. */
export const SECRET_API_KEYS = ["accessKeyId", "accessKeySecret", "securityToken"] as const;

/** The SDK's client type, without loading the package at module load. */
export type ElasticsearchClient = import("@alicloud/elasticsearch20170613").default;
export type ElasticsearchSdk = typeof import("@alicloud/elasticsearch20170613");

/** Loads the SDK. Called from provider methods only. */
export function loadSdk(): ElasticsearchSdk {
  return require("@alicloud/elasticsearch20170613") as ElasticsearchSdk;
}

/** Builds a client from the inputs, falling back to the standard environment variables for credentials. */
export function createClient(api: AlibabaApiInputs): ElasticsearchClient {
  const env = process.env;
  const accessKeyId = api.accessKeyId || env.ALIBABA_CLOUD_ACCESS_KEY_ID || env.ALICLOUD_ACCESS_KEY;
  const accessKeySecret = api.accessKeySecret || env.ALIBABA_CLOUD_ACCESS_KEY_SECRET || env.ALICLOUD_SECRET_KEY;
  const securityToken = api.securityToken || env.ALIBABA_CLOUD_SECURITY_TOKEN || env.ALICLOUD_SECURITY_TOKEN;
  if (!accessKeyId || !accessKeySecret) {
    throw new Error(
      "no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET for `pulumi up`, or pass api.accessKeyId / api.accessKeySecret (stored as secrets)",
    );
  }
  const sdk = loadSdk();
  return new sdk.default({
    accessKeyId,
    accessKeySecret,
    securityToken,
    regionId: api.region,
    endpoint: api.apiEndpoint || undefined,
    protocol: api.apiProtocol,
  } as ConstructorParameters<ElasticsearchSdk["default"]>[0]);
}

/** Picks the API fields out of a provider's inputs (so outputs can carry them back unchanged). */
export function apiInputsOf(inputs: AlibabaApiInputs): AlibabaApiInputs {
  return {
    region: inputs.region,
    accessKeyId: inputs.accessKeyId,
    accessKeySecret: inputs.accessKeySecret,
    securityToken: inputs.securityToken,
    apiEndpoint: inputs.apiEndpoint,
    apiProtocol: inputs.apiProtocol,
  };
}

/** An idempotency token for a mutating API call. Required lazily, like the SDK, to keep the closure small. */
export function clientToken(): string {
  return (require("node:crypto") as typeof import("node:crypto")).randomUUID();
}

/** An Alibaba API error's code (e.g. "InstanceNotFound"), when the SDK reports one. */
export function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; data?: { Code?: unknown } };
  return typeof e?.code === "string" ? e.code : typeof e?.data?.Code === "string" ? e.data.Code : undefined;
}

/** A short message for an API error: code, message and request id, never the request's credentials. */
export function describeApiError(action: string, err: unknown): string {
  const e = err as { code?: string; message?: string; statusCode?: number; data?: { RequestId?: string } };
  const parts = [e?.statusCode ? `HTTP ${e.statusCode}` : undefined, errorCode(err), e?.message].filter(Boolean);
  const req = e?.data?.RequestId ? ` (RequestId ${e.data.RequestId})` : "";
  return `Alibaba Cloud Elasticsearch API ${action} failed: ${parts.join(": ")}${req}`;
}
