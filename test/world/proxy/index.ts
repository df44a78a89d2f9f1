// The test world's proxy: node:http(s) only, put between two clusters (the destination's remote reindex reads the
// source through it) or between the provider and a cluster. It logs every request, plays scripted faults, can
// refuse connections, speak TLS with a CA of its own, require basic auth, and act as AWS-managed OpenSearch.
// docs/test-world-proxy.md describes it.
import * as http from "node:http";
import * as https from "node:https";
import type { Socket } from "node:net";
import { AwsPersona, type AwsPersonaOptions, type PersonaAnswer } from "./aws-persona";
import { ArmedFault, faultAnswer, type Fault } from "./faults";
import { generateCertificates } from "./tls";

export { AWS_TEST_CREDENTIALS, AWS_TEST_REGION } from "./aws-persona";
export type { Fault, FaultMatch } from "./faults";
export { generateCertificates, type TestCertificates } from "./tls";

export interface ProxyOptions {
  /** Where requests go, e.g. a node's `http://127.0.0.1:9200`. */
  target: string;
  /** Serve https with a server certificate for 127.0.0.1/localhost signed by a CA made at start (`caCert`). */
  tls?: boolean;
  /** Require these credentials (401 with WWW-Authenticate otherwise); the Authorization header is not forwarded. */
  basicAuth?: { username: string; password: string };
  /** Act as Amazon OpenSearch Service in front of `target` (SigV4 required, AWS-only reindex fields). */
  persona?: "aws";
  /** Region and credentials of the AWS persona; default AWS_TEST_REGION and AWS_TEST_CREDENTIALS. */
  aws?: AwsPersonaOptions;
  /** Bodies up to this size with a JSON content type are kept in the log; default 64 KiB. */
  maxLoggedBodyBytes?: number;
}

export interface RequestLogEntry {
  method: string;
  /** Path as received, without the query string. */
  path: string;
  /** Query parameters (the last value when one repeats). */
  query: Record<string, string>;
  /** Parsed body of a small JSON request (the reindex request, a scroll request); undefined otherwise. */
  body?: unknown;
  requestBytes: number;
  /** Status sent to the client; 0 while waiting, and for a stalled request or a connection dropped before headers. */
  status: number;
  /** Response body bytes sent to the client. */
  bytes: number;
  /** The fault applied, if any. */
  fault?: Fault["kind"];
  /** Who answered: the target, the proxy itself (auth, persona, a status fault), or nobody. */
  answeredBy?: "target" | "proxy";
}

export interface Proxy {
  /** `http(s)://127.0.0.1:<port>`. */
  url: string;
  /** `127.0.0.1:<port>`: the allow-list entry for a destination that reads through the proxy. */
  host: string;
  port: number;
  /** PEM of the proxy's CA (with `tls`). */
  caCert?: string;
  /** Every request so far, oldest first (a live array). */
  requests: RequestLogEntry[];
  clearLog(): void;
  /** Arms a fault (replacing the previous one), or clears it with undefined. Returns the armed fault's counters. */
  setFault(fault: Fault | undefined): { readonly hits: number } | undefined;
  /** Refuses connections: closes the listening socket and every open connection. */
  stopListening(): Promise<void>;
  /** Listens again on the same port. */
  startListening(): Promise<void>;
  /** Stops for good: closes everything, stalled requests included. */
  stop(): Promise<void>;
}

// Headers that belong to one connection, not to the request: never passed on.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function loggedBody(headers: http.IncomingHttpHeaders, body: Buffer, max: number): unknown {
  if (body.length === 0 || body.length > max || !/json/i.test(String(headers["content-type"] ?? ""))) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

function basicAuthOk(header: string | undefined, want: { username: string; password: string }): boolean {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? "");
  return m !== null && Buffer.from(m[1], "base64").toString("utf8") === `${want.username}:${want.password}`;
}

// What Elasticsearch's security answers without valid credentials; the remote reindex client needs the challenge.
function unauthorized(path: string, header: string | undefined): PersonaAnswer {
  const user = /^Basic\s+(\S+)$/i.exec(header ?? "");
  const name = user ? Buffer.from(user[1], "base64").toString("utf8").split(":")[0] : undefined;
  const reason =
    name !== undefined
      ? `unable to authenticate user [${name}] for REST request [${path}]`
      : `missing authentication credentials for REST request [${path}]`;
  const error = {
    root_cause: [{ type: "security_exception", reason }],
    type: "security_exception",
    reason,
    header: { "WWW-Authenticate": 'Basic realm="security" charset="UTF-8"' },
  };
  return {
    status: 401,
    headers: {
      "content-type": "application/json; charset=UTF-8",
      "www-authenticate": 'Basic realm="security" charset="UTF-8"',
    },
    body: JSON.stringify({ error, status: 401 }),
  };
}

export async function startProxy(options: ProxyOptions): Promise<Proxy> {
  const target = new URL(options.target);
  const certificates = options.tls ? generateCertificates() : undefined;
  const persona = options.persona === "aws" ? new AwsPersona(options.aws) : undefined;
  const maxLogged = options.maxLoggedBodyBytes ?? 64 * 1024;
  const agent = new (target.protocol === "https:" ? https.Agent : http.Agent)({ keepAlive: true });
  const requests: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  let armed: ArmedFault | undefined;

  const answer = (res: http.ServerResponse, entry: RequestLogEntry, a: PersonaAnswer) => {
    const body = Buffer.from(a.body);
    entry.status = a.status;
    entry.bytes = body.length;
    entry.answeredBy = "proxy";
    res.writeHead(a.status, { ...a.headers, "content-length": body.length });
    res.end(body);
  };

  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    entry: RequestLogEntry,
    body: Buffer,
    dropAfter?: number,
  ) => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (HOP_BY_HOP.has(k) || k === "host" || k === "content-length") continue;
      if ((options.basicAuth || persona) && k === "authorization") continue;
      if (persona && k.startsWith("x-amz-")) continue;
      headers[k] = v;
    }
    headers.host = target.host;
    if (body.length > 0 || req.method === "POST" || req.method === "PUT") headers["content-length"] = body.length;
    const upstream = (target.protocol === "https:" ? https : http).request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers,
      agent,
    });
    upstream.on("error", (err) => {
      if (res.headersSent) res.destroy();
      else
        answer(res, entry, {
          status: 502,
          headers: { "content-type": "text/plain" },
          body: `test-world proxy: target ${target.host} failed: ${err.message}\n`,
        });
    });
    upstream.on("response", (up) => {
      entry.status = up.statusCode ?? 0;
      entry.answeredBy = "target";
      const out: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(up.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
      res.writeHead(entry.status, out);
      const cut = () => {
        up.destroy();
        // A FIN in the middle of the body: the client sees the connection closed before the answer was complete.
        res.socket?.end();
      };
      if (dropAfter === 0) {
        res.flushHeaders();
        cut();
        return;
      }
      up.on("data", (chunk: Buffer) => {
        if (dropAfter !== undefined && entry.bytes + chunk.length >= dropAfter) {
          const part = chunk.subarray(0, dropAfter - entry.bytes);
          entry.bytes += part.length;
          res.write(part, cut);
          return;
        }
        entry.bytes += chunk.length;
        if (!res.write(chunk)) {
          up.pause();
          res.once("drain", () => up.resume());
        }
      });
      up.on("end", () => res.end());
      up.on("error", () => res.destroy());
    });
    upstream.end(body);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const raw = req.url ?? "/";
    const q = raw.indexOf("?");
    const rawPath = q < 0 ? raw : raw.slice(0, q);
    const rawQuery = q < 0 ? "" : raw.slice(q + 1);
    const method = req.method ?? "GET";
    let body = await readBody(req);
    const entry: RequestLogEntry = {
      method,
      path: rawPath,
      query: Object.fromEntries(new URLSearchParams(rawQuery)),
      body: loggedBody(req.headers, body, maxLogged),
      requestBytes: body.length,
      status: 0,
      bytes: 0,
    };
    requests.push(entry);

    // Faults first: they stand for the network and whatever sits in front of the cluster.
    const fault = armed?.take(method, rawPath);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === "stall") return; // no answer; the socket closes when the client gives up or the proxy stops
    if (fault?.kind === "delay") await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === "status") {
      const a = faultAnswer(fault, rawPath);
      return answer(res, entry, { status: fault.status, ...a });
    }
    if (options.basicAuth && !basicAuthOk(req.headers.authorization, options.basicAuth))
      return answer(res, entry, unauthorized(rawPath, req.headers.authorization));
    if (persona) {
      const refused = await persona.refuseSignature({ method, rawPath, rawQuery, headers: req.headers, body });
      if (refused) return answer(res, entry, refused);
      const rewritten = persona.rewrite(method, rawPath, body);
      if ("answer" in rewritten) return answer(res, entry, rewritten.answer);
      body = rewritten.body;
    }
    forward(req, res, entry, body, fault?.kind === "drop" ? fault.afterBytes : undefined);
  };

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent)
        res.writeHead(500, { "content-type": "text/plain" }).end(`test-world proxy: ${err.message}\n`);
      else res.destroy();
    });
  };
  const server = certificates
    ? https.createServer({ key: certificates.key, cert: certificates.cert }, onRequest)
    : http.createServer(onRequest);
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  // TLS handshakes that fail (an untrusting client) are the client's business, not an error here.
  server.on("tlsClientError", () => undefined);

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });

  const port = await listen(0);
  const scheme = certificates ? "https" : "http";
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    caCert: certificates?.caCert,
    requests,
    clearLog: () => void (requests.length = 0),
    setFault(fault) {
      armed = fault === undefined ? undefined : new ArmedFault(fault);
      return armed;
    },
    stopListening: async () => {
      if (server.listening) await close();
    },
    startListening: async () => {
      if (!server.listening) await listen(port);
    },
    stop: async () => {
      armed = undefined;
      if (server.listening) await close();
      else for (const s of sockets) s.destroy();
      agent.destroy();
    },
  };
}
