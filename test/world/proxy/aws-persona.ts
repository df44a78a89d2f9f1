// "AWS-managed OpenSearch" persona: what Amazon OpenSearch Service does in front of the engine that the open-source
// engine does not. Every request must be SigV4-signed with the persona's credentials (verified by signing the
// received request again with @smithy/signature-v4 and comparing); `POST _reindex` accepts the service's own
// `source.remote.external` / `region`, requires the explicit port in `source.remote.host`, and reaches the engine
// without the AWS-only fields.
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

/** Fixed credentials of the persona; tests give them to the provider as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
export const AWS_TEST_CREDENTIALS = {
  accessKeyId: "AKIATESTWORLDPROXY01",
  secretAccessKey: "test-world/persona/NotARealSecretKey0000000",
} as const;
export const AWS_TEST_REGION = "eu-west-1";

export interface AwsPersonaOptions {
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** A request as received, before anything is changed. */
export interface ReceivedRequest {
  method: string;
  /** Path exactly as on the wire (percent-encoded), no query. */
  rawPath: string;
  /** Query string without "?". */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An answer the persona gives instead of the engine. */
export interface PersonaAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const MAX_SKEW_MS = 5 * 60_000;
const ACTIONS: Record<string, string> = {
  GET: "ESHttpGet",
  HEAD: "ESHttpHead",
  POST: "ESHttpPost",
  PUT: "ESHttpPut",
  DELETE: "ESHttpDelete",
  PATCH: "ESHttpPatch",
};

// The service's 403s: a JSON body with `message` (or `Message` for authorization decisions) and an error-type header.
function denied(errorType: string, message: string, key: "message" | "Message" = "message"): PersonaAnswer {
  return {
    status: 403,
    headers: { "content-type": "application/json", "x-amzn-errortype": errorType },
    body: JSON.stringify({ [key]: message }),
  };
}

function engineError(status: number, type: string, reason: string): PersonaAnswer {
  const error = { root_cause: [{ type, reason }], type, reason };
  return {
    status,
    headers: { "content-type": "application/json; charset=UTF-8" },
    body: JSON.stringify({ error, status }),
  };
}

function amzDateToDate(v: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined;
}

export class AwsPersona {
  private readonly region: string;
  private readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  private readonly signer: SignatureV4;

  constructor(options: AwsPersonaOptions = {}) {
    this.region = options.region ?? AWS_TEST_REGION;
    this.credentials = options.credentials ?? AWS_TEST_CREDENTIALS;
    this.signer = new SignatureV4({
      credentials: this.credentials,
      region: this.region,
      service: "es",
      sha256: Sha256,
    });
  }

  /** Why the service would refuse the request's signature, or undefined when it is signed correctly. */
  async refuseSignature(req: ReceivedRequest, now = new Date()): Promise<PersonaAnswer | undefined> {
    const auth = req.headers.authorization;
    if (auth === undefined)
      return denied(
        "AccessDeniedException",
        `User: anonymous is not authorized to perform: es:${ACTIONS[req.method] ?? "ESHttpGet"}`,
        "Message",
      );
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (m === null) {
      return denied(
        "IncompleteSignatureException",
        `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters of an AWS4-HMAC-SHA256 signature. Authorization=${auth.split(" ")[0]}`,
      );
    }
    const [, accessKeyId, , region, service, signedList] = m;
    if (accessKeyId !== this.credentials.accessKeyId)
      return denied("UnrecognizedClientException", "The security token included in the request is invalid.");
    if (service !== "es")
      return denied("InvalidSignatureException", "Credential should be scoped to correct service: 'es'. ");
    if (region !== this.region)
      return denied("InvalidSignatureException", "Credential should be scoped to a valid region. ");
    const token = req.headers["x-amz-security-token"];
    if (
      token !== this.credentials.sessionToken &&
      !(token === undefined && this.credentials.sessionToken === undefined)
    ) {
      return denied("UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    const amzDate = String(req.headers["x-amz-date"] ?? "");
    const signingDate = amzDateToDate(amzDate);
    if (signingDate === undefined)
      return denied(
        "IncompleteSignatureException",
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      );
    if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
      return denied(
        "InvalidSignatureException",
        `Signature expired: ${amzDate} is now earlier than ${new Date(now.getTime() - MAX_SKEW_MS).toISOString().replace(/[-:]|\.\d{3}/g, "")} (${now.toISOString().replace(/[-:]|\.\d{3}/g, "")} - 5 min.)`,
      );
    }
    const signedHeaders = signedList.split(";");
    const headers: Record<string, string> = {};
    for (const h of signedHeaders) {
      const v = req.headers[h];
      if (v === undefined) return mismatch();
      headers[h] = Array.isArray(v) ? v.join(",") : v;
    }
    if (!signedHeaders.includes("host")) return mismatch();
    // The payload hash header stands for the body in the signature: it must be the hash of what arrived.
    const payloadHash = headers["x-amz-content-sha256"];
    if (payloadHash !== undefined && payloadHash !== createHash("sha256").update(req.body).digest("hex")) {
      return denied(
        "InvalidSignatureException",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(req.rawQuery)) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const [hostname, port] = headers.host.split(":");
    const expected = await this.signer.sign(
      {
        method: req.method,
        protocol: "http:",
        hostname,
        port: port ? Number(port) : undefined,
        path: req.rawPath,
        query,
        headers,
        body: req.body,
      },
      { signingDate },
    );
    return expected.headers.authorization === auth ? undefined : mismatch();
  }

  /**
   * The service's handling of `POST _reindex`: the explicit port, then the body without `external` / `region`
   * (what the engine behind the service receives). Other requests pass unchanged.
   */
  rewrite(method: string, rawPath: string, body: Buffer): { body: Buffer } | { answer: PersonaAnswer } {
    if (method !== "POST" || !/^\/_reindex\/?$/.test(rawPath) || body.length === 0) return { body };
    let parsed: any;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return { body };
    }
    const remote = parsed?.source?.remote;
    if (remote === undefined || remote === null || typeof remote !== "object") return { body };
    const host = String(remote.host ?? "");
    // The engine's own pattern and wording: the service runs OpenSearch, and has no default port for the remote.
    if (!/^[^:]+:\/\/[^:]+:\d+(\/.*)?$/.test(host)) {
      return {
        answer: engineError(
          400,
          "illegal_argument_exception",
          `[host] must be of the form [scheme]://[host]:[port](/[pathPrefix])? but was [${host}]`,
        ),
      };
    }
    if (remote.external !== undefined && typeof remote.external !== "boolean") {
      return {
        answer: engineError(
          400,
          "x_content_parse_exception",
          `[remote] failed to parse field [external]: expected a boolean, got [${remote.external}]`,
        ),
      };
    }
    delete remote.external;
    delete remote.region;
    return { body: Buffer.from(JSON.stringify(parsed)) };
  }
}

function mismatch(): PersonaAnswer {
  return denied(
    "InvalidSignatureException",
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  );
}
