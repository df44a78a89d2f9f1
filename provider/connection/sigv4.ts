// AWS SigV4 signing for Amazon OpenSearch Service ("es") and OpenSearch Serverless ("aoss") with the default AWS
// credential chain. The AWS modules are required inside functions: the provider is serialized by Pulumi and a
// connection without `aws` must not load them.
import { createHash } from "node:crypto";
import type { AwsSigV4Options } from "./types";

/** What is signed: the request exactly as it goes on the wire. */
export interface SignableRequest {
  method: string;
  /** Scheme, host and port of the cluster. */
  origin: URL;
  /** Full path as sent (path prefix included), percent-encoded. */
  path: string;
  /** Serialized query string without "?", "" when none. */
  querystring: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export type Signer = (req: SignableRequest) => Promise<Record<string, string>>;

/** Credentials as the chain resolves them; the secret parts are kept so errors can redact them. */
export interface ResolvedAwsSecrets {
  secretAccessKey?: string;
  sessionToken?: string;
}

/**
 * A signer for `aws`. `secrets` is filled with the credentials once resolved, for redaction.
 * `credentials` overrides the default chain (tests).
 */
export function createSigner(
  aws: AwsSigV4Options,
  secrets: ResolvedAwsSecrets = {},
  credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>,
): Signer {
  let signer: { sign(req: unknown): Promise<{ headers: Record<string, string> }> } | undefined;
  const load = () => {
    if (signer !== undefined) return signer;
    const { SignatureV4 } = require("@smithy/signature-v4") as typeof import("@smithy/signature-v4");
    const { Sha256 } = require("@aws-crypto/sha256-js") as typeof import("@aws-crypto/sha256-js");
    const chain =
      credentials ??
      (
        require("@aws-sdk/credential-providers") as typeof import("@aws-sdk/credential-providers")
      ).fromNodeProviderChain();
    const remembering = async () => {
      const c = await chain();
      secrets.secretAccessKey = c.secretAccessKey;
      secrets.sessionToken = c.sessionToken;
      return c;
    };
    signer = new SignatureV4({
      credentials: remembering,
      region: aws.region,
      service: aws.service ?? "es",
      sha256: Sha256,
      applyChecksum: true,
    }) as never;
    return signer!;
  };
  return async (req) => {
    const body = req.body ?? "";
    const headers: Record<string, string> = { ...req.headers, host: req.origin.host };
    // OpenSearch Serverless requires the payload hash header; the managed service accepts it.
    headers["x-amz-content-sha256"] = createHash("sha256").update(body).digest("hex");
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(req.querystring)) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const signed = await load().sign({
      method: req.method,
      protocol: req.origin.protocol,
      hostname: req.origin.hostname,
      port: req.origin.port === "" ? undefined : Number(req.origin.port),
      path: req.path,
      query,
      headers,
      body,
    });
    return signed.headers;
  };
}
