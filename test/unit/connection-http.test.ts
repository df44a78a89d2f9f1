// The connection layer against local HTTP(S) servers on 127.0.0.1: flavor detection from canned `GET /` bodies,
// headers every engine accepts, error messages, retries, SigV4 signatures and TLS trust.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as path from "node:path";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ClusterRequestError,
  connect,
  parseConnection,
  type Cluster,
  type ClusterConnection,
  type RetryPolicy,
} from "../../provider/connection";
import { cacheDir } from "../world/cache";
import { closeServer, listenForUrl, onBody } from "../helpers/http-server";

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Reply = { status?: number; headers?: Record<string, string>; body?: unknown } | "hang";

/** A local server answering from `reply(request, n)`; records what it received. */
async function serve(reply: (req: Seen, n: number) => Reply, tls?: { key: string; cert: string }) {
  const seen: Seen[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    onBody(req, (body) => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(s);
      const r = reply(s, seen.length);
      if (r === "hang") return;
      res.statusCode = r.status ?? 200;
      for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
      if (r.body !== undefined) {
        if (typeof r.body === "string") res.end(r.body);
        else {
          res.setHeader("content-type", "application/json; charset=UTF-8");
          res.end(JSON.stringify(r.body));
        }
      } else res.end();
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  return {
    seen,
    url: await listenForUrl(server, tls ? "https" : "http"),
    close: () => closeServer(server, true),
  };
}

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
});
async function server(reply: (req: Seen, n: number) => Reply, tls?: { key: string; cert: string }) {
  const s = await serve(reply, tls);
  opened.push(s);
  return s;
}
function cluster(conn: ClusterConnection, role = "destination", retry: Partial<RetryPolicy> = {}): Cluster {
  const c = connect(parseConnection(conn, "cluster"), role, { retry: { baseDelayMs: 10, maxDelayMs: 50, ...retry } });
  opened.push(c);
  return c;
}
async function failure(p: Promise<unknown>): Promise<ClusterRequestError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ClusterRequestError);
    return e as ClusterRequestError;
  }
  throw new Error("expected the request to fail");
}

// `GET /` bodies as each engine answers them (shape of the real responses; build details shortened).
const ROOTS: [
  string,
  Record<string, unknown>,
  Record<string, string>,
  { flavor: string; version: string; major: number; minor: number },
][] = [
  [
    "Elasticsearch 6.8",
    {
      name: "n1",
      cluster_name: "es6",
      cluster_uuid: "u",
      version: {
        number: "6.8.23",
        build_flavor: "default",
        build_type: "tar",
        build_hash: "4f67856",
        build_date: "2022-01-06T21:30:50.087716Z",
        build_snapshot: false,
        lucene_version: "7.7.3",
        minimum_wire_compatibility_version: "5.6.0",
        minimum_index_compatibility_version: "5.0.0",
      },
      tagline: "You Know, for Search",
    },
    {},
    { flavor: "elasticsearch", version: "6.8.23", major: 6, minor: 8 },
  ],
  [
    "Elasticsearch 7.10 (no x-elastic-product header)",
    {
      name: "n1",
      cluster_name: "es7",
      cluster_uuid: "u",
      version: {
        number: "7.10.2",
        build_flavor: "oss",
        build_type: "tar",
        build_hash: "747e1cc",
        build_date: "2021-01-13T00:42:12.435326Z",
        build_snapshot: false,
        lucene_version: "8.7.0",
        minimum_wire_compatibility_version: "6.8.0",
        minimum_index_compatibility_version: "6.0.0-beta1",
      },
      tagline: "You Know, for Search",
    },
    {},
    { flavor: "elasticsearch", version: "7.10.2", major: 7, minor: 10 },
  ],
  [
    "Elasticsearch 8.x",
    {
      name: "n1",
      cluster_name: "es8",
      cluster_uuid: "u",
      version: {
        number: "8.17.4",
        build_flavor: "default",
        build_type: "docker",
        build_hash: "c63c7f5",
        build_date: "2025-03-20T15:39:59.811110136Z",
        build_snapshot: false,
        lucene_version: "9.12.0",
        minimum_wire_compatibility_version: "7.17.0",
        minimum_index_compatibility_version: "7.0.0",
      },
      tagline: "You Know, for Search",
    },
    { "x-elastic-product": "Elasticsearch" },
    { flavor: "elasticsearch", version: "8.17.4", major: 8, minor: 17 },
  ],
  [
    "Elasticsearch 9.x",
    {
      name: "n1",
      cluster_name: "es9",
      cluster_uuid: "u",
      version: {
        number: "9.1.0",
        build_flavor: "default",
        build_type: "docker",
        build_hash: "5b5c1ce",
        build_date: "2025-07-22T10:00:00.000000Z",
        build_snapshot: false,
        lucene_version: "10.2.2",
        minimum_wire_compatibility_version: "8.19.0",
        minimum_index_compatibility_version: "8.0.0",
      },
      tagline: "You Know, for Search",
    },
    { "x-elastic-product": "Elasticsearch" },
    { flavor: "elasticsearch", version: "9.1.0", major: 9, minor: 1 },
  ],
  [
    "OpenSearch 1.x",
    {
      name: "n1",
      cluster_name: "os1",
      cluster_uuid: "u",
      version: {
        distribution: "opensearch",
        number: "1.3.20",
        build_type: "tar",
        build_hash: "a1b2c3",
        build_date: "2024-12-10T00:00:00.000000Z",
        build_snapshot: false,
        lucene_version: "8.10.1",
        minimum_wire_compatibility_version: "6.8.0",
        minimum_index_compatibility_version: "6.0.0-beta1",
      },
      tagline: "The OpenSearch Project: https://opensearch.org/",
    },
    {},
    { flavor: "opensearch", version: "1.3.20", major: 1, minor: 3 },
  ],
  [
    "OpenSearch 2.x",
    {
      name: "n1",
      cluster_name: "os2",
      cluster_uuid: "u",
      version: {
        distribution: "opensearch",
        number: "2.19.1",
        build_type: "tar",
        build_hash: "2e4741f",
        build_date: "2025-02-27T01:16:47.726162386Z",
        build_snapshot: false,
        lucene_version: "9.12.1",
        minimum_wire_compatibility_version: "7.10.0",
        minimum_index_compatibility_version: "7.0.0",
      },
      tagline: "The OpenSearch Project: https://opensearch.org/",
    },
    {},
    { flavor: "opensearch", version: "2.19.1", major: 2, minor: 19 },
  ],
  [
    "OpenSearch 3.x",
    {
      name: "n1",
      cluster_name: "os3",
      cluster_uuid: "u",
      version: {
        distribution: "opensearch",
        number: "3.0.0",
        build_type: "tar",
        build_hash: "dc4efa8",
        build_date: "2025-05-03T06:23:50.311109522Z",
        build_snapshot: false,
        lucene_version: "10.1.0",
        minimum_wire_compatibility_version: "2.19.0",
        minimum_index_compatibility_version: "2.0.0",
      },
      tagline: "The OpenSearch Project: https://opensearch.org/",
    },
    {},
    { flavor: "opensearch", version: "3.0.0", major: 3, minor: 0 },
  ],
];

describe("info()", () => {
  it.each(ROOTS)("detects %s", async (_name, body, headers, expected) => {
    const s = await server(() => ({ body, headers }));
    expect(await cluster({ url: s.url }).info()).toEqual(expected);
  });

  it("sends plain application/json, no compatible-with media type and no client meta header", async () => {
    const s = await server((req) => (req.url === "/" ? { body: ROOTS[1][1] } : { body: { acknowledged: true } }));
    const c = cluster({ url: s.url });
    await c.info();
    await c.request({ method: "PUT", path: "/idx", body: { settings: { number_of_shards: 1 } } });
    for (const req of s.seen) {
      expect(req.headers["content-type"]).toBe("application/json");
      expect(req.headers.accept).not.toContain("compatible-with");
      expect(req.headers["x-elastic-client-meta"]).toBeUndefined();
    }
    expect(JSON.parse(s.seen[1].body)).toEqual({ settings: { number_of_shards: 1 } });
  });

  it("asks once and caches the answer", async () => {
    const s = await server(() => ({ body: ROOTS[5][1] }));
    const c = cluster({ url: s.url });
    await Promise.all([c.info(), c.info()]);
    await c.info();
    expect(s.seen.filter((r) => r.url === "/")).toHaveLength(1);
  });

  it("explains an answer that is not a search engine", async () => {
    const s = await server(() => ({ body: { name: "kibana", status: { overall: { level: "available" } } } }));
    await expect(cluster({ url: s.url }, "source").info()).rejects.toThrow(
      /^source http:\/\/127\.0\.0\.1:\d+: GET \/ did not answer like Elasticsearch or OpenSearch/,
    );
  });
});

describe("request()", () => {
  it("sends the path prefix, query and body, and returns the parsed body", async () => {
    const s = await server(() => ({ body: { hits: { total: { value: 3 } } } }));
    const c = cluster({ url: `${s.url}/es`, headers: { "x-tenant": "blue" } });
    const res = await c.request<{ hits: { total: { value: number } } }>({
      method: "POST",
      path: "/logs-1/_search",
      querystring: { size: 0, q: "a b", skip: undefined },
      body: { query: { match_all: {} } },
    });
    expect(res.hits.total.value).toBe(3);
    expect(s.seen[0].url).toBe("/es/logs-1/_search?size=0&q=a%20b");
    expect(s.seen[0].headers["x-tenant"]).toBe("blue");
  });

  it("sends _bulk bodies as NDJSON and string bodies as JSON, never text/plain", async () => {
    const s = await server(() => ({ body: { errors: false, items: [] } }));
    const c = cluster({ url: s.url });
    await c.request({ method: "POST", path: "/_bulk", body: [{ index: { _index: "a", _id: "1" } }, { f: 1 }] });
    await c.request({ method: "POST", path: "/a/_bulk", body: '{"index":{}}\n{"f":2}\n' });
    await c.request({ method: "PUT", path: "/a/_mapping", body: '{"properties":{}}' });
    expect(s.seen.map((r) => [r.headers["content-type"], r.body])).toEqual([
      ["application/x-ndjson", '{"index":{"_index":"a","_id":"1"}}\n{"f":1}\n'],
      ["application/x-ndjson", '{"index":{}}\n{"f":2}\n'],
      ["application/json", '{"properties":{}}'],
    ]);
  });

  it("resolves an ignored status to undefined and HEAD to true/false", async () => {
    const s = await server((req) =>
      req.url === "/there"
        ? { body: "" }
        : { status: 404, body: { error: { type: "index_not_found_exception", reason: "no such index" } } },
    );
    const c = cluster({ url: s.url });
    expect(await c.request({ method: "GET", path: "/missing", ignore: [404] })).toBeUndefined();
    expect(await c.request({ method: "HEAD", path: "/missing" })).toBe(false);
    expect(await c.request({ method: "HEAD", path: "/there" })).toBe(true);
  });

  it("sends basic auth or an API key", async () => {
    const s = await server(() => ({ body: {} }));
    await cluster({ url: s.url, username: "elastic", password: "pw" }).request({ method: "GET", path: "/" });
    await cluster({ url: s.url, apiKey: "id:key" }).request({ method: "GET", path: "/" });
    expect(s.seen[0].headers.authorization).toBe(`Basic ${Buffer.from("elastic:pw").toString("base64")}`);
    expect(s.seen[1].headers.authorization).toBe(`ApiKey ${Buffer.from("id:key").toString("base64")}`);
  });
});

describe("errors", () => {
  it.each([
    [
      401,
      {
        error: {
          root_cause: [
            { type: "security_exception", reason: "unable to authenticate user [elastic] for REST request [/]" },
          ],
          type: "security_exception",
          reason: "unable to authenticate user [elastic] for REST request [/]",
        },
        status: 401,
      },
      "credentials rejected",
      "security_exception: unable to authenticate user [elastic]",
    ],
    [
      403,
      {
        error: {
          root_cause: [
            { type: "security_exception", reason: "action [indices:admin/create] is unauthorized for user [reader]" },
          ],
          type: "security_exception",
          reason: "action [indices:admin/create] is unauthorized for user [reader]",
        },
        status: 403,
      },
      "permission denied: check the user's or role's privileges, or for AWS the IAM",
      "is unauthorized for user [reader]",
    ],
    [
      403,
      { Message: "User: anonymous is not authorized to perform: es:ESHttpPut" },
      "permission denied",
      "User: anonymous is not authorized to perform: es:ESHttpPut",
    ],
    [
      400,
      {
        error: {
          root_cause: [{ type: "resource_already_exists_exception", reason: "index [logs/abc] already exists" }],
          type: "resource_already_exists_exception",
          reason: "index [logs/abc] already exists",
        },
        status: 400,
      },
      "400",
      "resource_already_exists_exception: index [logs/abc] already exists",
    ],
    [
      400,
      {
        error: {
          root_cause: [
            { type: "illegal_argument_exception", reason: "[host] not whitelisted in reindex.remote.whitelist" },
          ],
          type: "illegal_argument_exception",
          reason: "outer",
        },
        status: 400,
      },
      "400",
      "[host] not whitelisted",
    ],
  ])("%i explains itself with the engine's reason", async (status, body, hint, reason) => {
    const s = await server(() => ({ status, body }));
    const err = await failure(
      cluster({ url: s.url, username: "elastic", password: "hunter2-secret" }).request({
        method: "PUT",
        path: "/logs",
      }),
    );
    expect(err.message).toMatch(new RegExp(`^destination http://127\\.0\\.0\\.1:\\d+: PUT /logs failed: ${status}`));
    expect(err.message).toContain(hint);
    expect(err.message).toContain(reason);
    expect(err.status).toBe(status);
    expect(err.cluster).toMatch(/^destination http:\/\/127\.0\.0\.1:\d+$/);
    expect([err.method, err.path]).toEqual(["PUT", "/logs"]);
    expect(s.seen).toHaveLength(1); // 4xx other than 429 is never retried
  });

  it("never shows the password or API key, even when the server echoes them", async () => {
    const s = await server((req) => ({
      status: 401,
      body: {
        error: { type: "security_exception", reason: `bad header ${req.headers.authorization} for hunter2-secret` },
      },
    }));
    const basic = await failure(
      cluster({ url: s.url, username: "elastic", password: "hunter2-secret" }).request({ method: "GET", path: "/" }),
    );
    expect(basic.message).toContain("bad header Basic [redacted]");
    expect(`${basic.message} ${basic.reason} ${basic.stack}`).not.toContain("hunter2-secret");
    expect(basic.message).not.toContain(Buffer.from("elastic:hunter2-secret").toString("base64"));
    const key = Buffer.from("kid:hunter2-secret").toString("base64");
    const api = await failure(cluster({ url: s.url, apiKey: key }).request({ method: "GET", path: "/" }));
    expect(`${api.message} ${api.reason}`).not.toContain(key);
    expect(`${api.message} ${api.reason}`).not.toContain("hunter2-secret");
  });

  it("explains connection refused, after a bounded number of attempts", async () => {
    const s = await serve(() => ({ body: {} }));
    await s.close(); // a port that nothing listens on any more
    const err = await failure(cluster({ url: s.url }, "source").request({ method: "GET", path: "/" }));
    expect(err.type).toBe("connection_refused");
    expect(err.message).toMatch(
      /^source http:\/\/127\.0\.0\.1:\d+: GET \/ failed: connection refused: nothing listens on that host and port/,
    );
    expect(err.attempts).toBe(5);
  });
});

describe("retries", () => {
  it("retries 503 and 429 until the cluster answers", async () => {
    const s = await server((_req, n) =>
      n === 1
        ? { status: 503, body: { error: "unavailable" } }
        : n === 2
          ? { status: 429, body: { error: "busy" } }
          : { body: { ok: true } },
    );
    expect(await cluster({ url: s.url }).request({ method: "GET", path: "/x" })).toEqual({ ok: true });
    expect(s.seen).toHaveLength(3);
  });

  it("stops after the bounded number of attempts and says so", async () => {
    const s = await server(() => ({
      status: 429,
      body: {
        error: { type: "es_rejected_execution_exception", reason: "rejected execution of coordinating operation" },
      },
    }));
    const err = await failure(
      cluster({ url: s.url }, "destination", { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 }).request({
        method: "POST",
        path: "/_bulk",
        body: "{}\n",
      }),
    );
    expect(s.seen).toHaveLength(4);
    expect(err.message).toContain("429 the cluster is overloaded");
    expect(err.message).toContain("es_rejected_execution_exception: rejected execution of coordinating operation");
    expect(err.message).toContain("gave up after 4 attempts");
  });

  it("honours Retry-After", async () => {
    const s = await server((_req, n) =>
      n === 1 ? { status: 429, headers: { "retry-after": "1" }, body: { error: "slow down" } } : { body: { ok: true } },
    );
    const started = Date.now();
    await cluster({ url: s.url }).request({ method: "GET", path: "/x" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(s.seen).toHaveLength(2);
  });

  it("does not resend a POST after a 502 (the cluster may have acted on it)", async () => {
    const s = await server(() => ({ status: 502, body: "Bad Gateway" }));
    const err = await failure(cluster({ url: s.url }).request({ method: "POST", path: "/_reindex", body: {} }));
    expect(s.seen).toHaveLength(1);
    expect(err.message).toContain("502 the cluster (or a proxy in front of it) was unavailable");
  });

  it("retries a timed-out GET but never a timed-out POST", async () => {
    const s = await server(() => "hang");
    const get = await failure(
      cluster({ url: s.url }, "destination", { baseDelayMs: 5, maxDelayMs: 10, maxAttempts: 2 }).request({
        method: "GET",
        path: "/slow",
        timeoutMs: 200,
      }),
    );
    expect(get.type).toBe("timeout");
    expect(get.attempts).toBe(2);
    const post = await failure(
      cluster({ url: s.url }).request({ method: "POST", path: "/_reindex", body: {}, timeoutMs: 200 }),
    );
    expect(post.attempts).toBe(1);
    expect(post.message).toContain("no answer in time");
    expect(s.seen.map((r) => r.method)).toEqual(["GET", "GET", "POST"]);
  });
});

describe("AWS SigV4", () => {
  const CREDS = {
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    AWS_SESSION_TOKEN: "session-token-example",
  };
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const k of [...Object.keys(CREDS), "AWS_PROFILE", "AWS_EC2_METADATA_DISABLED"]) saved[k] = process.env[k];
    Object.assign(process.env, CREDS, { AWS_EC2_METADATA_DISABLED: "true" });
    delete process.env.AWS_PROFILE;
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  /** Recomputes the signature of what the server received, the way the service does. */
  async function verify(req: Seen, region: string, service: string, body = req.body): Promise<boolean> {
    const auth = String(req.headers.authorization);
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)![1].split(";");
    const amzDate = String(req.headers["x-amz-date"]);
    const signingDate = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const u = new URL(req.url, `http://${req.headers.host}`);
    const query: Record<string, string> = {};
    for (const [k, v] of u.searchParams) query[k] = v;
    const headers: Record<string, string> = {};
    for (const h of signedHeaders) headers[h] = String(req.headers[h]);
    // The payload hash header stands for the body in the signature: it must match the body received.
    if (headers["x-amz-content-sha256"] !== createHash("sha256").update(body).digest("hex")) return false;
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: CREDS.AWS_ACCESS_KEY_ID,
        secretAccessKey: CREDS.AWS_SECRET_ACCESS_KEY,
        sessionToken: CREDS.AWS_SESSION_TOKEN,
      },
      region,
      service,
      sha256: Sha256,
    });
    const expected = await signer.sign(
      {
        method: req.method,
        protocol: "http:",
        hostname: u.hostname,
        port: Number(u.port),
        path: u.pathname,
        query,
        headers,
        body,
      },
      { signingDate },
    );
    return expected.headers.authorization === auth;
  }

  it("signs method, path, query, host and body with the default credential chain", async () => {
    const s = await server(() => ({ body: { acknowledged: true } }));
    const c = cluster({ url: `${s.url}/prefix`, aws: { region: "eu-west-1" } });
    const body = { query: { term: { "user.id": "kimchy" } } };
    await c.request({ method: "POST", path: "/logs-*/_search", querystring: { scroll: "1m", q: "a b" }, body });
    const req = s.seen[0];
    expect(req.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=[^,]*host[^,]*x-amz-content-sha256[^,]*, Signature=[0-9a-f]{64}$/,
    );
    expect(req.headers["x-amz-content-sha256"]).toBe(createHash("sha256").update(req.body).digest("hex"));
    expect(req.headers["x-amz-security-token"]).toBe(CREDS.AWS_SESSION_TOKEN);
    expect(await verify(req, "eu-west-1", "es")).toBe(true);
    // The check is real: a different body, region or service does not verify.
    expect(await verify(req, "eu-west-1", "es", '{"query":{}}')).toBe(false);
    expect(await verify(req, "us-east-1", "es")).toBe(false);
    expect(await verify(req, "eu-west-1", "aoss")).toBe(false);
  });

  it("signs for OpenSearch Serverless when asked, and signs empty bodies", async () => {
    const s = await server(() => ({ body: ROOTS[5][1] }));
    await cluster({ url: s.url, aws: { region: "us-east-1", service: "aoss" } }).info();
    expect(String(s.seen[0].headers.authorization)).toContain("/us-east-1/aoss/aws4_request");
    expect(await verify(s.seen[0], "us-east-1", "aoss")).toBe(true);
  });

  it("signs every retry afresh", async () => {
    const s = await server((_r, n) => (n < 3 ? { status: 503, body: "busy" } : { body: {} }));
    await cluster({ url: s.url, aws: { region: "eu-west-1" } }).request({
      method: "PUT",
      path: "/idx",
      body: { a: 1 },
    });
    expect(s.seen).toHaveLength(3);
    for (const req of s.seen) expect(await verify(req, "eu-west-1", "es")).toBe(true);
  });

  it("explains missing AWS credentials without sending anything", async () => {
    const s = await server(() => ({ body: {} }));
    const env = { ...process.env };
    try {
      for (const k of [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
      ])
        delete process.env[k];
      Object.assign(process.env, {
        AWS_CONFIG_FILE: "/nonexistent/config",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
      });
      const err = await failure(cluster({ url: s.url, aws: { region: "eu-west-1" } }).info());
      expect(err.message).toContain("no AWS credentials for SigV4");
      expect(err.message).toContain("AWS_PROFILE");
      expect(s.seen).toHaveLength(0);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
      Object.assign(process.env, env);
    }
  });

  it("keeps the AWS secret and session token out of errors", async () => {
    const s = await server((req) => ({
      status: 403,
      body: {
        message: `denied ${req.headers["x-amz-security-token"]} ${CREDS.AWS_SECRET_ACCESS_KEY} ${req.headers.authorization}`,
      },
    }));
    const err = await failure(
      cluster({ url: s.url, aws: { region: "eu-west-1" } }).request({ method: "GET", path: "/" }),
    );
    expect(err.message).toContain("permission denied");
    expect(err.message).not.toContain(CREDS.AWS_SESSION_TOKEN);
    expect(err.message).not.toContain(CREDS.AWS_SECRET_ACCESS_KEY);
    expect(err.message).not.toMatch(/Signature=[0-9a-f]{64}/);
  });
});

describe("TLS", () => {
  let dir: string;
  let ca: string;
  let signed: { key: string; cert: string };
  let selfSigned: { key: string; cert: string };
  beforeAll(() => {
    fs.mkdirSync(cacheDir("tmp"), { recursive: true });
    dir = fs.mkdtempSync(path.join(cacheDir("tmp"), "tls-"));
    const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    ssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=test CA",
    );
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "node.key", "-out", "node.csr", "-subj", "/CN=127.0.0.1");
    fs.writeFileSync(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    ssl(
      "x509",
      "-req",
      "-in",
      "node.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "node.pem",
      "-days",
      "2",
      "-extfile",
      "san.ext",
    );
    ssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "self.key",
      "-out",
      "self.pem",
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    );
    const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
    ca = read("ca.pem");
    signed = { key: read("node.key"), cert: read("node.pem") };
    selfSigned = { key: read("self.key"), cert: read("self.pem") };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("trusts a cluster whose certificate caCert signed", async () => {
    const s = await server(() => ({ body: ROOTS[5][1] }), signed);
    expect((await cluster({ url: s.url, caCert: ca }).info()).flavor).toBe("opensearch");
  });

  it("refuses an unknown CA and says to set caCert, without retrying", async () => {
    const s = await server(() => ({ body: ROOTS[5][1] }), signed);
    const err = await failure(cluster({ url: s.url }).info());
    expect(err.type).toBe("tls");
    expect(err.message).toContain("set caCert");
    expect(err.attempts).toBe(1);
  });

  it("explains a self-signed certificate", async () => {
    const s = await server(() => ({ body: ROOTS[5][1] }), selfSigned);
    const err = await failure(cluster({ url: s.url }).info());
    expect(err.message).toContain("self-signed certificate: set caCert");
    expect((await cluster({ url: s.url, caCert: selfSigned.cert }).info()).major).toBe(2);
  });

  it("accepts any certificate with insecureSkipVerify", async () => {
    const s = await server(() => ({ body: ROOTS[5][1] }), selfSigned);
    expect((await cluster({ url: s.url, insecureSkipVerify: true }).info()).version).toBe("2.19.1");
  });
});
