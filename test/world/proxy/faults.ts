// Scripted faults of the test world's proxy: what goes wrong, and for which requests. Pure.

/** Which requests a fault hits. Without `path` and `method` it hits every request. */
export interface FaultMatch {
  /** Exact request path (no query string), or a pattern tested against it, e.g. "/_search/scroll". */
  path?: string | RegExp;
  /** HTTP method, e.g. "POST". */
  method?: string;
  /** Matching requests to let through before the fault starts; default 0 ("the 5th scroll" is `skip: 4`). */
  skip?: number;
  /** How many matching requests the fault hits; default all of them until it is cleared. */
  times?: number;
}

export type Fault = FaultMatch &
  (
    | /** Answer late: wait `ms`, then forward as usual. */ { kind: "delay"; ms: number }
      /** Answer with `status` without forwarding: 429 (an engine's rejection, with Retry-After) or a load balancer's 502/503. */
    | { kind: "status"; status: 429 | 502 | 503; retryAfterSeconds?: number }
    /** Forward, then close the connection after `afterBytes` bytes of the response body (0: right after the headers). */
    | { kind: "drop"; afterBytes: number }
    /** Never answer: the connection stays open until the client gives up (its timeout) or the proxy stops. */
    | { kind: "stall" }
  );

/** A fault armed on the proxy: counts the requests it matched and the ones it hit. */
export class ArmedFault {
  private matched = 0;
  /** Requests the fault was applied to so far. */
  hits = 0;

  constructor(readonly fault: Fault) {}

  /** The fault to apply to this request, if any (and counts it). */
  take(method: string, path: string): Fault | undefined {
    const { path: want, method: wantMethod, skip = 0, times = Infinity } = this.fault;
    if (wantMethod !== undefined && wantMethod.toUpperCase() !== method.toUpperCase()) return undefined;
    if (want !== undefined && !(typeof want === "string" ? want === path : want.test(path))) return undefined;
    this.matched++;
    if (this.matched <= skip || this.hits >= times) return undefined;
    this.hits++;
    return this.fault;
  }
}

/** Status, headers and body of a `status` fault, shaped like what sends them in real life. */
export function faultAnswer(
  fault: Extract<Fault, { kind: "status" }>,
  path: string,
): { headers: Record<string, string>; body: string } {
  if (fault.status === 429) {
    // An engine rejecting work (a full search or write queue) answers 429 with its own error shape.
    const reason = `rejected execution of ${path} on EsThreadPoolExecutor[name = test-world/search, queue capacity = 1000] (test-world proxy fault)`;
    const error = {
      root_cause: [{ type: "es_rejected_execution_exception", reason }],
      type: "es_rejected_execution_exception",
      reason,
    };
    return {
      headers: {
        "content-type": "application/json; charset=UTF-8",
        "retry-after": String(fault.retryAfterSeconds ?? 1),
      },
      body: JSON.stringify({ error, status: 429 }),
    };
  }
  // 502/503 come from a load balancer in front of the nodes: an HTML page, not JSON.
  const title = fault.status === 502 ? "502 Bad Gateway" : "503 Service Temporarily Unavailable";
  const headers: Record<string, string> = { "content-type": "text/html" };
  if (fault.status === 503 && fault.retryAfterSeconds !== undefined)
    headers["retry-after"] = String(fault.retryAfterSeconds);
  return {
    headers,
    body: `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center></body></html>\n`,
  };
}
