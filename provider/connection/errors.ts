// The two errors of the connection layer and the pure functions that turn what an engine (or the network) said
// into a sentence a user can act on.

/** A connection description that cannot work; `problems` names each field and its fix. */
export class ConnectionConfigError extends Error {
  readonly problems: { field: string; message: string }[];
  constructor(problems: { field: string; message: string }[]) {
    super(problems.map((p) => p.message).join("\n"));
    this.name = "ConnectionConfigError";
    this.problems = problems;
  }
}

/** A request to a cluster that failed after retries. The message is already redacted. */
export class ClusterRequestError extends Error {
  /** HTTP status, absent when no response came (connection refused, DNS, TLS, timeout). */
  status?: number;
  /** The engine's error type (e.g. "resource_already_exists_exception") or a connection error kind. */
  type?: string;
  /** The engine's own reason, or the network error's explanation. */
  reason?: string;
  /** The cluster's label, e.g. "destination https://127.0.0.1:9200". */
  cluster: string;
  method: string;
  path: string;
  /** How many attempts were made. */
  attempts: number;
  constructor(fields: {
    message: string;
    status?: number;
    type?: string;
    reason?: string;
    cluster: string;
    method: string;
    path: string;
    attempts: number;
  }) {
    super(fields.message);
    this.name = "ClusterRequestError";
    this.status = fields.status;
    this.type = fields.type;
    this.reason = fields.reason;
    this.cluster = fields.cluster;
    this.method = fields.method;
    this.path = fields.path;
    this.attempts = fields.attempts;
  }
}

/** The engine's type and reason from an error response body (ES/OpenSearch JSON, AWS gateway JSON, or text). */
export function engineReason(body: unknown): { type?: string; reason?: string } {
  if (typeof body === "string") {
    const trimmed = body.trim();
    if (trimmed === "") return {};
    try {
      return engineReason(JSON.parse(trimmed));
    } catch {
      return { reason: trimmed.length > 300 ? `${trimmed.slice(0, 300)}...` : trimmed };
    }
  }
  if (body === null || typeof body !== "object") return {};
  const b = body as { error?: EngineError | string | null; message?: unknown; Message?: unknown };
  const err = b.error;
  if (typeof err === "string") return { reason: err };
  if (err !== null && typeof err === "object") {
    const root = Array.isArray(err.root_cause) && err.root_cause.length > 0 ? err.root_cause[0] : undefined;
    const reason =
      typeof root?.reason === "string" ? root.reason : typeof err.reason === "string" ? err.reason : undefined;
    // The root cause can be a parser's generic "failed to parse field [source]" while the real reason is at the
    // end of the caused_by chain (e.g. "Unsupported fields in [remote]: [external]"): name both.
    const deepest = deepestCause(err);
    const cause =
      deepest !== undefined && deepest.reason !== reason
        ? ` (caused by ${deepest.type ? `${deepest.type}: ` : ""}${deepest.reason})`
        : "";
    return {
      type: typeof root?.type === "string" ? root.type : typeof err.type === "string" ? err.type : undefined,
      reason: reason === undefined ? deepest?.reason : `${reason}${cause}`,
    };
  }
  // Amazon's front end answers with {"message": ...} or {"Message": ...}.
  const message = typeof b.message === "string" ? b.message : typeof b.Message === "string" ? b.Message : undefined;
  return message !== undefined ? { reason: message } : {};
}

/** An engine's error object (`{ error: { type, reason, root_cause, caused_by } }`), each part read with care. */
interface EngineError {
  type?: unknown;
  reason?: unknown;
  root_cause?: EngineError[];
  caused_by?: EngineError | null;
}

/** The last cause of an engine error's caused_by chain that has a reason, if the error has a chain. */
function deepestCause(err: EngineError): { type?: string; reason: string } | undefined {
  let found: { type?: string; reason: string } | undefined;
  let cause = err.caused_by;
  for (let depth = 0; cause !== null && typeof cause === "object" && depth < 10; depth++) {
    if (typeof cause.reason === "string")
      found = { type: typeof cause.type === "string" ? cause.type : undefined, reason: cause.reason };
    cause = cause.caused_by;
  }
  return found;
}

/** What a status means for the user, when it is one we can explain. */
export function statusHint(status: number): string | undefined {
  switch (status) {
    case 401:
      return "credentials rejected: check username/password or apiKey (or the AWS credentials used for SigV4)";
    case 403:
      return "permission denied: check the user's or role's privileges, or for AWS the IAM / domain access policy and the SigV4 region";
    case 413:
      return "request too large for the cluster (http.max_content_length, 100mb by default): send smaller batches";
    case 429:
      return "the cluster is overloaded (too many requests) and still was after retries";
    case 502:
    case 503:
    case 504:
      return "the cluster (or a proxy in front of it) was unavailable and still was after retries";
    default:
      return undefined;
  }
}

/** Kind and explanation of a network-level failure, from the error message Node/undici gives. */
export function explainNetworkError(message: string): { type: string; reason: string } {
  const m = message;
  if (/ECONNREFUSED/.test(m))
    return {
      type: "connection_refused",
      reason: `connection refused: nothing listens on that host and port (is the node running, is the port right?) (${m})`,
    };
  if (/ENOTFOUND|EAI_AGAIN/.test(m))
    return { type: "dns", reason: `host name not found: check the URL's host name and DNS (${m})` };
  if (
    /self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer certificate|certificate has expired|UNABLE_TO_VERIFY|DEPTH_ZERO_SELF_SIGNED/i.test(
      m,
    )
  ) {
    return {
      type: "tls",
      reason: `the server's TLS certificate is not trusted: set caCert to the PEM of the CA that signed it (self-signed certificate: set caCert), or insecureSkipVerify for a test cluster (${m})`,
    };
  }
  if (/altnames|Hostname\/IP does not match|ERR_TLS_CERT_ALTNAME_INVALID/i.test(m)) {
    return {
      type: "tls",
      reason: `the server's TLS certificate does not name this host: connect by a name the certificate lists, or fix the certificate (${m})`,
    };
  }
  if (/wrong version number|EPROTO|packet length too long|ssl3_get_record/i.test(m)) {
    return {
      type: "tls",
      reason: `TLS handshake failed: the port may speak plain HTTP (use http://) or the scheme/port is wrong (${m})`,
    };
  }
  if (/timed out|TimeoutError|ETIMEDOUT/i.test(m))
    return { type: "timeout", reason: `no answer in time: the node is slow or a firewall drops the traffic (${m})` };
  if (/ECONNRESET|other side closed|socket hang up|UND_ERR_SOCKET|EPIPE/i.test(m)) {
    return {
      type: "connection_reset",
      reason: `the connection was closed before an answer came (a proxy, a node restart, or http:// against an https port) (${m})`,
    };
  }
  return { type: "connection_error", reason: m };
}
