// Turns a ClusterConnection into a Cluster: the @elastic/elasticsearch transport, configured for every engine we
// support, plus our own retries, SigV4 signing and error messages.
//
// Why the Transport and not the Client: the 9.x Client hard-codes `productCheck: "Elasticsearch"` and
// `compatible-with=9` media types in its transport options (lib/client.js), which fail against Elasticsearch 6.x/7.x
// and OpenSearch. A bare Transport (re-exported by @elastic/elasticsearch) has no product check and sends plain
// `application/json`. Its own retries are off (maxRetries: 0): they ignore 429 and Retry-After, ours do not.
import type {
  RequestBody,
  RequestNDBody,
  ConnectionRequestParams,
  ConnectionRequestOptions,
  ConnectionRequestResponse,
  ConnectionRequestOptionsAsStream,
  ConnectionRequestResponseAsStream,
} from "@elastic/elasticsearch";
import { ClusterRequestError, engineReason, explainNetworkError, statusHint } from "./errors";
import { parseClusterInfo } from "./info";
import { sleep } from "../shared/poll";
import { redact } from "./redact";
import { DEFAULT_RETRY_POLICY, nextDelay, type AttemptOutcome, type RetryPolicy } from "./retry";
import { createSigner, type ResolvedAwsSecrets } from "./sigv4";
import type { Cluster, ClusterConnection, ClusterInfo, ClusterRequest } from "./types";
import { containsUnknown } from "./unknown";

export interface ConnectOptions {
  /** Retry policy; default 5 attempts, 250ms doubling backoff capped at 10s, Retry-After up to 60s. */
  retry?: Partial<RetryPolicy>;
  /** AWS credentials instead of the default chain (tests). */
  awsCredentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
}

/** What the transport throws: a ResponseError carries the engine's answer in `meta`; other names are network errors. */
interface TransportError {
  name?: string;
  message?: string;
  meta?: { statusCode?: number; headers?: Record<string, string | string[] | undefined>; body?: unknown };
}

const DEFAULT_TIMEOUT_MS = 60_000;
const NDJSON_PATH = /(^|\/)_(bulk|msearch)(\/|$)/;

// _bulk and _msearch take newline-delimited JSON: an array body is serialized one line per item.
// The transport serializes an object or sends a string as it is: what ClusterRequest.body allows.
function bodyParams(req: ClusterRequest): { body?: RequestBody; bulkBody?: RequestNDBody } {
  if (Array.isArray(req.body) && NDJSON_PATH.test(req.path)) return { bulkBody: req.body as RequestNDBody };
  return req.body === undefined ? {} : { body: req.body as RequestBody };
}

// The transport labels a string body text/plain, which the engines refuse (406): a string is pre-serialized JSON,
// or NDJSON for _bulk/_msearch.
function bodyHeaders(req: ClusterRequest): Record<string, string> | undefined {
  if (typeof req.body !== "string") return undefined;
  return { "content-type": NDJSON_PATH.test(req.path) ? "application/x-ndjson" : "application/json" };
}

/** "destination https://127.0.0.1:9200": role and URL without credentials. */
export function clusterLabel(conn: ClusterConnection, role?: string): string {
  let where: string;
  try {
    const u = new URL(conn.url);
    where = `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname.replace(/\/$/, "")}`;
  } catch {
    where = redact(conn.url, conn);
  }
  return role !== undefined && role !== "" ? `${role} ${where}` : where;
}

/**
 * Connects lazily (no request is sent until the first call). `role` ("source", "destination", ...) goes into
 * the label used in errors. The connection must have passed `parseConnection` and be fully known.
 */
export function connect(conn: ClusterConnection, role?: string, options: ConnectOptions = {}): Cluster {
  if (containsUnknown(conn)) {
    throw new Error(
      `${role ?? "cluster"}: the connection is not known yet (pulumi preview): connect only once all its inputs are known`,
    );
  }
  const label = clusterLabel(conn, role);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const awsSecrets: ResolvedAwsSecrets = {};
  const scrub = (text: string) => redact(text, conn, [awsSecrets.secretAccessKey, awsSecrets.sessionToken]);

  const { Transport, CloudConnectionPool, UndiciConnection, Serializer } =
    require("@elastic/elasticsearch") as typeof import("@elastic/elasticsearch");
  let ConnectionClass = UndiciConnection;
  if (conn.aws !== undefined) {
    const sign = createSigner(conn.aws, awsSecrets, options.awsCredentials);
    // Signing happens on the last hop, where the body is serialized and every header is final.
    class SigV4Connection extends UndiciConnection {
      async request(
        params: ConnectionRequestParams,
        opts: ConnectionRequestOptions,
      ): Promise<ConnectionRequestResponse>;
      async request(
        params: ConnectionRequestParams,
        opts: ConnectionRequestOptionsAsStream,
      ): Promise<ConnectionRequestResponseAsStream>;
      async request(
        params: ConnectionRequestParams,
        opts: ConnectionRequestOptions | ConnectionRequestOptionsAsStream,
      ): Promise<ConnectionRequestResponse | ConnectionRequestResponseAsStream> {
        const prefix = this.url.pathname === "/" ? "" : this.url.pathname.replace(/\/$/, "");
        const headers = Object.fromEntries(
          Object.entries({ ...this.headers, ...params.headers }).map(([k, v]) => [k.toLowerCase(), String(v)]),
        );
        const signed = await sign({
          method: params.method,
          origin: this.url,
          path: prefix + params.path,
          querystring: params.querystring ?? "",
          headers,
          body: params.body as string | Buffer | undefined,
        });
        return super.request({ ...params, headers: signed }, opts);
      }
    }
    ConnectionClass = SigV4Connection;
  }

  const auth =
    conn.apiKey !== undefined
      ? { apiKey: conn.apiKey }
      : conn.username !== undefined
        ? { username: conn.username, password: conn.password ?? "" }
        : undefined;
  const pool = new CloudConnectionPool({
    Connection: ConnectionClass,
    auth,
    tls: conn.url.startsWith("https:")
      ? { ca: conn.caCert, rejectUnauthorized: conn.insecureSkipVerify !== true }
      : undefined,
  });
  pool.addConnection(conn.url);
  const transport = new Transport({
    connectionPool: pool,
    serializer: new Serializer(),
    maxRetries: 0,
    requestTimeout: DEFAULT_TIMEOUT_MS,
    // no productCheck (the bare Transport has none) and no vendoredHeaders: plain application/json
    enableMetaHeader: false,
    compression: false,
    headers: conn.headers ?? {},
    name: label,
  });

  async function request<T>(req: ClusterRequest): Promise<T> {
    const idempotent = req.idempotent ?? req.method !== "POST";
    const query =
      req.querystring === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(req.querystring)
              .filter(([, v]) => v !== undefined)
              .map(([k, v]) => [k, String(v)]),
          );
    for (let attempt = 1; ; attempt++) {
      let outcome: AttemptOutcome;
      let failure: { status?: number; type?: string; reason?: string; message: string };
      try {
        const res = await transport.request(
          { method: req.method, path: req.path, querystring: query, ...bodyParams(req) },
          {
            meta: true,
            ignore: req.ignore,
            requestTimeout: req.timeoutMs ?? DEFAULT_TIMEOUT_MS,
            maxRetries: 0,
            headers: bodyHeaders(req),
          },
        );
        // HEAD answers true (2xx) or false (404), the transport's convention for existence checks.
        if (req.method === "HEAD") return res.body as T;
        if (req.ignore?.includes(res.statusCode ?? 0) && (res.statusCode ?? 0) >= 300) return undefined as T;
        return res.body as T;
      } catch (caught) {
        const err = caught as TransportError | undefined;
        if (err?.name === "ResponseError" && typeof err.meta?.statusCode === "number") {
          const status: number = err.meta.statusCode;
          const retryAfter = err.meta.headers?.["retry-after"];
          outcome = { kind: "status", status, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter };
          const { type, reason } = engineReason(err.meta.body);
          const hint = statusHint(status);
          const detail = [type, reason].filter(Boolean).join(": ");
          failure = {
            status,
            type,
            reason,
            message: `${status}${hint ? ` ${hint}` : ""}${detail ? ` (${detail})` : ""}`,
          };
        } else if (err?.name === "ConnectionError" || err?.name === "TimeoutError") {
          const { type, reason } = explainNetworkError(
            err.name === "TimeoutError"
              ? `TimeoutError: ${err.message} after ${req.timeoutMs ?? DEFAULT_TIMEOUT_MS}ms`
              : String(err.message),
          );
          outcome = { kind: "network", type };
          failure = { type, reason, message: reason };
        } else {
          const message =
            err?.name === "CredentialsProviderError"
              ? `no AWS credentials for SigV4 (${err.message}): set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, log in with SSO, or run where an IAM role is available`
              : String(err?.message ?? err);
          throw new ClusterRequestError({
            message: scrub(`${label}: ${req.method} ${req.path} failed: ${message}`),
            reason: scrub(message),
            cluster: label,
            method: req.method,
            path: req.path,
            attempts: attempt,
          });
        }
      }
      const next = nextDelay(attempt, outcome, idempotent, policy);
      if (next.retry) {
        await sleep(next.delayMs);
        continue;
      }
      const tail = next.why !== undefined ? `; ${next.why}` : attempt > 1 ? `; after ${attempt} attempts` : "";
      throw new ClusterRequestError({
        message: scrub(`${label}: ${req.method} ${req.path} failed: ${failure.message}${tail}`),
        status: failure.status,
        type: failure.type,
        reason: failure.reason !== undefined ? scrub(failure.reason) : undefined,
        cluster: label,
        method: req.method,
        path: req.path,
        attempts: attempt,
      });
    }
  }

  let infoPromise: Promise<ClusterInfo> | undefined;
  return {
    label,
    info() {
      infoPromise ??= request<unknown>({ method: "GET", path: "/" })
        .then((body) => parseClusterInfo(body, label))
        .catch((e) => {
          infoPromise = undefined; // a failed probe is not cached: the next call asks again
          throw e;
        });
      return infoPromise;
    },
    request,
    async close() {
      await pool.empty();
    },
  };
}
