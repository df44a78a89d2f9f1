// The test world's proxy between real clusters: an Elasticsearch 7.10.2 source and an OpenSearch 2.19 destination
// whose remote reindex reads the source through the proxy (plain, with basic auth, over TLS with the proxy's CA), and
// the AWS persona between the provider and the destination. Faults are observed by the engine itself.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterRequestError, connect, type ClusterConnection } from "../../provider/connection";
import { createSigner } from "../../provider/connection/sigv4";
import { runReindex } from "../../provider/reindex/run";
import { validateInputs } from "../../provider/reindex/validate";
import { registerRepository } from "../../provider/snapshot/ops";
import { cacheDir } from "../world/cache";
import { startEngine, type EngineNode } from "../world/engines";
import { EngineHttpError, countDocs, esJson, readIds, seedDocuments } from "../world/fixtures";
import { AWS_TEST_CREDENTIALS, AWS_TEST_REGION, startProxy, type Proxy } from "../world/proxy";

const DOCS = 10_000;
const FEW = 1_000;
const AUTH = { username: "reader", password: "proxy-pa55" };

let source: EngineNode;
let dest: EngineNode;
let plain: Proxy;
let authed: Proxy;
let secure: Proxy;
let aws: Proxy;
let caFile: string;

/** Starts a remote reindex task on the destination and waits for the task to complete; returns the task. */
async function reindexTask(
  remote: Record<string, unknown>,
  index: string,
  destIndex: string,
  size = 100,
): Promise<any> {
  await esJson(dest.url, "DELETE", `/${destIndex}`).catch((e: unknown) => {
    if (!(e instanceof EngineHttpError && e.status === 404)) throw e;
  });
  const { task } = await esJson(dest.url, "POST", "/_reindex?wait_for_completion=false", {
    source: { remote, index, size },
    dest: { index: destIndex },
  });
  for (;;) {
    const t = await esJson(dest.url, "GET", `/_tasks/${task}`);
    if (t.completed) return t;
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  await seedDocuments(source.url, "docs", { count: DOCS });
  await seedDocuments(source.url, "few", { count: FEW, idPrefix: "f" });
  plain = await startProxy({ target: source.url });
  authed = await startProxy({ target: source.url, basicAuth: AUTH });
  secure = await startProxy({ target: source.url, tls: true });
  // The destination trusts the proxy's CA for remote reindex: node configuration only (reindex.ssl.*).
  caFile = cacheDir("tmp", `proxy-ca-${randomBytes(4).toString("hex")}.pem`);
  fs.mkdirSync(path.dirname(caFile), { recursive: true });
  fs.writeFileSync(caFile, secure.caCert!);
  dest = await startEngine({
    engine: "opensearch",
    version: "2.19.x",
    allow: [plain.host, authed.host, secure.host],
    settings: { "reindex.ssl.certificate_authorities": caFile },
  });
  aws = await startProxy({ target: dest.url, persona: "aws" });
});

afterAll(async () => {
  await Promise.all([plain, authed, secure, aws].map((p) => p?.stop()));
  await dest?.stop();
  await source?.stop();
  if (caFile) fs.rmSync(caFile, { force: true });
});

describe("remote reindex through the proxy (ES 7.10.2 -> OpenSearch 2.19)", () => {
  it(`copies all ${DOCS} documents, and the log shows the scroll size the destination used`, async () => {
    plain.clearLog();
    const t = await reindexTask({ host: plain.url }, "docs", "copy", 500);
    expect(t.error).toBeUndefined();
    expect(t.response).toMatchObject({ created: DOCS, failures: [] });
    expect(await countDocs(dest.url, "copy")).toBe(DOCS);
    const [sourceIds, destIds] = await Promise.all([readIds(source.url, "docs"), readIds(dest.url, "copy")]);
    expect(sourceIds.size).toBe(DOCS);
    expect(destIds).toEqual(sourceIds);

    // What the destination sent: GET / for the version, one search opening the scroll with the size asked for, pages.
    expect(plain.requests[0]).toMatchObject({ method: "GET", path: "/", status: 200 });
    const opening = plain.requests.find((r) => r.path === "/docs/_search");
    expect(opening).toMatchObject({ method: "POST", status: 200, query: { scroll: "5m", size: "500" } });
    const pages = plain.requests.filter((r) => r.path === "/_search/scroll" && r.method === "POST");
    expect(pages.length).toBe(DOCS / 500); // 19 pages after the first, plus the empty one that ends the scroll
    expect(pages.every((p) => p.status === 200 && typeof (p.body as any)?.scroll_id === "string")).toBe(true);
    expect(plain.requests.some((r) => r.method === "DELETE" && r.path === "/_search/scroll")).toBe(true);
  });

  it("a connection dropped in the middle of a scroll page fails the task with the engine's error", async () => {
    plain.clearLog();
    const fault = plain.setFault({ kind: "drop", afterBytes: 2000, path: "/_search/scroll", skip: 2, times: 1 });
    try {
      const t = await reindexTask({ host: plain.url }, "few", "dropped");
      expect(fault!.hits).toBe(1);
      expect(t.error).toMatchObject({
        type: "connection_closed_exception",
        reason: expect.stringMatching(
          /^Premature end of Content-Length delimited message body \(expected: [\d,]+; received: 2,000\)$/,
        ),
      });
      // What was copied before the drop stays: the first page and the two scroll pages let through.
      expect(await countDocs(dest.url, "dropped")).toBe(300);
      const dropped = plain.requests.find((r) => r.fault === "drop")!;
      expect(dropped).toMatchObject({ status: 200, bytes: 2000, answeredBy: "target" });
    } finally {
      plain.setFault(undefined);
    }
  });

  it("a stalled source fails the task at the remote socket timeout", async () => {
    const fault = plain.setFault({ kind: "stall", path: "/_search/scroll", times: 1 });
    try {
      const t = await reindexTask({ host: plain.url, socket_timeout: "2s" }, "few", "stalled");
      expect(fault!.hits).toBe(1);
      expect(t.error).toMatchObject({
        type: "socket_timeout_exception",
        reason: expect.stringMatching(/^2,000 milliseconds timeout on connection/),
      });
    } finally {
      plain.setFault(undefined);
    }
  });

  it("a proxy that stops listening refuses the destination; listening again lets the copy through", async () => {
    await plain.stopListening();
    try {
      const refused = await reindexTask({ host: plain.url }, "few", "refused");
      expect(refused.error).toMatchObject({ type: "connect_exception", reason: "Connection refused" });
    } finally {
      await plain.startListening();
    }
    const t = await reindexTask({ host: plain.url }, "few", "refused");
    expect(t.response).toMatchObject({ created: FEW, failures: [] });
  });

  it("status faults answer the next N matching requests instead of the source, then the source answers", async () => {
    const fault = plain.setFault({ kind: "status", status: 429, retryAfterSeconds: 3, path: "/few/_count", times: 2 });
    try {
      const first = await fetch(`${plain.url}/few/_count`);
      expect(first.status).toBe(429);
      expect(first.headers.get("retry-after")).toBe("3");
      expect(((await first.json()) as any).error.type).toBe("es_rejected_execution_exception");
      expect((await fetch(`${plain.url}/`)).status).toBe(200); // another path is not hit
      expect((await fetch(`${plain.url}/few/_count`)).status).toBe(429);
      expect(await (await fetch(`${plain.url}/few/_count`)).json()).toMatchObject({ count: FEW });
      expect(fault!.hits).toBe(2);
      plain.setFault({ kind: "status", status: 502 });
      const lb = await fetch(`${plain.url}/`);
      expect(lb.status).toBe(502);
      expect(await lb.text()).toContain("502 Bad Gateway");
      plain.setFault({ kind: "delay", ms: 300, times: 1 });
      const began = Date.now();
      expect((await fetch(`${plain.url}/`)).status).toBe(200);
      expect(Date.now() - began).toBeGreaterThanOrEqual(300);
    } finally {
      plain.setFault(undefined);
    }
  });

  it("basic auth: the copy works with the proxy's credentials and is refused without them", async () => {
    const ok = await reindexTask({ host: authed.url, ...AUTH }, "few", "authed");
    expect(ok.response).toMatchObject({ created: FEW, failures: [] });
    expect(authed.requests.some((r) => r.status === 200 && r.path === "/few/_search")).toBe(true);

    for (const remote of [{ host: authed.url }, { host: authed.url, username: AUTH.username, password: "wrong" }]) {
      const refused = await reindexTask(remote, "few", "refused-auth");
      // The engine's task error carries the source's 401 answer.
      expect(refused.error).toMatchObject({ type: "status_exception" });
      expect(refused.error.caused_by.reason).toContain("status line [HTTP/1.1 401 Unauthorized]");
      expect(refused.error.reason).toContain(
        remote.username
          ? "unable to authenticate user [reader]"
          : "missing authentication credentials for REST request [/]",
      );
    }
    const challenge = await fetch(`${authed.url}/`);
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
  });

  it("TLS: the destination trusting the proxy's CA copies over https; a client without the CA is refused", async () => {
    const t = await reindexTask({ host: secure.url }, "few", "secure");
    expect(t.response).toMatchObject({ created: FEW, failures: [] });
    expect(secure.url).toMatch(/^https:/);

    const withCa = connect({ url: secure.url, caCert: secure.caCert }, "source");
    const without = connect({ url: secure.url }, "source");
    try {
      expect((await withCa.info()).version).toBe("7.10.2");
      const err = await without.info().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClusterRequestError);
      expect((err as ClusterRequestError).message).toMatch(/caCert/);
    } finally {
      await withCa.close();
      await without.close();
    }
  });
});

describe("AWS-managed OpenSearch persona (provider -> persona -> OpenSearch 2.19)", () => {
  const saved: Record<string, string | undefined> = {};
  const KEYS = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_EC2_METADATA_DISABLED",
  ];
  const signed: ClusterConnection = { url: "", aws: { region: AWS_TEST_REGION } };

  beforeAll(() => {
    for (const k of KEYS) saved[k] = process.env[k];
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: AWS_TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS_TEST_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: "true",
    });
    signed.url = aws.url;
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  async function failure(
    conn: ClusterConnection,
    req = { method: "GET" as const, path: "/" },
  ): Promise<ClusterRequestError> {
    const c = connect(conn, "destination");
    try {
      const err = await c.request(req).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClusterRequestError);
      return err as ClusterRequestError;
    } finally {
      await c.close();
    }
  }

  it("passes requests the provider signs with SigV4 and the test credentials", async () => {
    const c = connect(signed, "destination");
    try {
      expect(await c.info()).toMatchObject({ flavor: "opensearch", major: 2 });
      expect(
        await c.request({ method: "PUT", path: "/signed-probe", body: { settings: { number_of_replicas: 0 } } }),
      ).toMatchObject({ acknowledged: true });
      expect(aws.requests.filter((r) => r.answeredBy === "target").map((r) => r.status)).toEqual([200, 200]);
    } finally {
      await c.close();
    }
  });

  it("registers an s3 snapshot repository (SnapshotMigration) with a signed request carrying the IAM role ARN", async () => {
    const role = "arn:aws:iam::123456789012:role/TheSnapshotRole";
    const repo = {
      name: "aws-snapshots",
      type: "s3" as const,
      settings: { bucket: "snaps", base_path: "es", region: AWS_TEST_REGION, role_arn: role },
    };
    aws.clearLog();
    const c = connect(signed, "destination");
    try {
      // The persona checks the signature and hands the request on; the open-source node behind it has no
      // repository-s3 plugin (the managed service has), so the node itself answers that it lacks the type.
      const err = (await registerRepository(c, repo, "destination").catch((e: unknown) => e)) as ClusterRequestError;
      expect(err).toBeInstanceOf(ClusterRequestError);
      expect(err.message).toMatch(/\[s3\]/);
      const [put] = aws.requests.filter((r) => r.method === "PUT" && r.path === "/_snapshot/aws-snapshots");
      expect(put).toMatchObject({
        answeredBy: "target",
        body: { type: "s3", settings: { role_arn: role, bucket: "snaps", readonly: true } },
      });
    } finally {
      await c.close();
    }
    process.env.AWS_SECRET_ACCESS_KEY = "not-the-persona-secret";
    const c2 = connect(signed, "destination");
    try {
      const refused = (await registerRepository(c2, repo, "destination").catch(
        (e: unknown) => e,
      )) as ClusterRequestError;
      expect(refused.status).toBe(403);
      expect(refused.message).toContain("The request signature we calculated does not match");
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = AWS_TEST_CREDENTIALS.secretAccessKey;
      await c2.close();
    }
  });

  it("refuses unsigned and wrongly signed requests the way the service does", async () => {
    const unsigned = await failure({ url: aws.url });
    expect(unsigned.status).toBe(403);
    expect(unsigned.message).toContain("User: anonymous is not authorized to perform: es:ESHttpGet");
    expect(unsigned.message).toMatch(/permission denied.*IAM/);

    process.env.AWS_SECRET_ACCESS_KEY = "not-the-persona-secret";
    try {
      const wrong = await failure(signed, { method: "GET", path: "/_cat/indices" } as never);
      expect(wrong.status).toBe(403);
      expect(wrong.message).toContain("The request signature we calculated does not match the signature you provided");
      expect(wrong.message).not.toContain("not-the-persona-secret");
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = AWS_TEST_CREDENTIALS.secretAccessKey;
    }
    const otherRegion = await failure({ url: aws.url, aws: { region: "us-east-1" } });
    expect(otherRegion.message).toContain("Credential should be scoped to a valid region");
  });

  it("refuses a signed request whose body or path changed on the way", async () => {
    const sign = createSigner({ region: AWS_TEST_REGION }, {}, async () => AWS_TEST_CREDENTIALS);
    const origin = new URL(aws.url);
    const body = JSON.stringify({ query: { match_all: {} } });
    const headers = await sign({
      method: "POST",
      origin,
      path: "/_search",
      querystring: "",
      headers: { "content-type": "application/json" },
      body,
    });
    const send = (path: string, sent: string) => fetch(`${aws.url}${path}`, { method: "POST", headers, body: sent });
    expect((await send("/_search", body)).status).toBe(200);
    const tampered = await send("/_search", JSON.stringify({ query: { match_none: {} } }));
    expect(tampered.status).toBe(403);
    expect(((await tampered.json()) as any).message).toContain("'x-amz-content-sha256' header does not match");
    const moved = await send("/other/_search", body);
    expect(moved.status).toBe(403);
    expect(((await moved.json()) as any).message).toContain("The request signature we calculated does not match");
  });

  it("requires the explicit port of source.remote.host, like the service", async () => {
    const err = await failure(signed, {
      method: "POST",
      path: "/_reindex",
      body: {
        source: { remote: { host: `https://127.0.0.1`, external: true }, index: "few" },
        dest: { index: "no-port" },
      },
    } as never);
    expect(err.status).toBe(400);
    expect(err.message).toContain(
      "[host] must be of the form [scheme]://[host]:[port](/[pathPrefix])? but was [https://127.0.0.1]",
    );
  });

  it("a Reindex with external and region through the persona copies everything; the engine never sees those fields", async () => {
    aws.clearLog();
    const { inputs, failures } = validateInputs({
      cluster: signed,
      destIndex: "aws-copy",
      // The destination reaches the source over https through the TLS proxy (external sources: https only).
      source: {
        index: "few",
        remote: { host: secure.url, external: true, region: AWS_TEST_REGION },
        cluster: { url: source.url },
      },
    });
    expect(failures).toEqual([]);
    const res = await runReindex(inputs, { log: { info: () => undefined, warn: () => undefined } });
    expect(res).toMatchObject({ status: "complete", created: FEW, sourceCount: FEW, destCount: FEW });
    expect(await readIds(dest.url, "aws-copy")).toEqual(await readIds(source.url, "few"));
    const started = aws.requests.find((r) => r.method === "POST" && r.path === "/_reindex");
    expect((started?.body as any)?.source?.remote).toMatchObject({ external: true, region: AWS_TEST_REGION });

    // Why the persona strips them: the open-source engine refuses the AWS-only fields.
    const direct = await esJson(dest.url, "POST", "/_reindex", {
      source: { remote: { host: secure.url, external: true }, index: "few" },
      dest: { index: "x" },
    }).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(EngineHttpError);
    expect(JSON.stringify((direct as EngineHttpError).body)).toContain("Unsupported fields in [remote]: [external]");
  });
});
