// The connection layer against real nodes: connect() and GET / detection on Elasticsearch 6.8 and 7.10 and
// OpenSearch 2.19, a search and an NDJSON _bulk through the same client, and what a user reads when the URL is wrong.
import * as http from "node:http";
import * as net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterRequestError, connect } from "../../provider/connection";
import type { Cluster } from "../../provider/connection/types";
import { startEngine, type EngineNode } from "../world/engines";

const ENGINES = [
  { engine: "elasticsearch", version: "6.8.x", flavor: "elasticsearch", major: 6 },
  { engine: "elasticsearch", version: "7.10.2", flavor: "elasticsearch", major: 7 },
  { engine: "opensearch", version: "2.19.x", flavor: "opensearch", major: 2 },
] as const;

const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;
const nodes: EngineNode[] = [];

/** A loopback port nobody listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  // One after the other: three JVMs starting at once on two cores only slow each other down.
  for (const e of ENGINES) nodes.push(await startEngine({ engine: e.engine, version: e.version }));
});

afterAll(async () => {
  for (const n of nodes) await n.stop();
});

describe.each(ENGINES.map((e, i) => ({ ...e, i })))("connect() to $engine $version", ({ i, flavor, major }) => {
  let c: Cluster;
  beforeAll(() => {
    // Credentials are carried (the test nodes run without security, so they are accepted and ignored).
    c = connect({ url: nodes[i].url, username: "migrator", password: PASSWORD }, "source");
  });
  afterAll(async () => {
    await c?.close();
  });

  it("detects the flavor and the exact version from GET /", async () => {
    const info = await c.info();
    expect(info).toEqual({ flavor, version: nodes[i].version, major, minor: Number(nodes[i].version.split(".")[1]) });
    expect(c.label).toBe(`source ${nodes[i].url}`);
  });

  it("indexes an NDJSON _bulk (string and array bodies) and finds the documents with a search", async () => {
    // 6.x wants a mapping type in bulk actions; 7.x accepts `_doc`, OpenSearch 2.x takes none.
    const type = major === 6 ? { _type: "_doc" } : {};
    await c.request({
      method: "PUT",
      path: "/people",
      body: { settings: { number_of_shards: 1, number_of_replicas: 0 } },
    });
    const ndjson = [
      JSON.stringify({ index: { _index: "people", _id: "1", ...type } }),
      JSON.stringify({ name: "Ada", born: 1815 }),
      JSON.stringify({ index: { _index: "people", _id: "2", ...type } }),
      JSON.stringify({ name: "Grace", born: 1906 }),
      "",
    ].join("\n");
    const first = await c.request<any>({ method: "POST", path: "/_bulk", body: ndjson });
    expect(first.errors).toBe(false);
    const second = await c.request<any>({
      method: "POST",
      path: "/_bulk",
      querystring: { refresh: "true" },
      body: [{ index: { _index: "people", _id: "3", ...type } }, { name: "Edsger", born: 1930 }],
    });
    expect(second.errors).toBe(false);
    expect(second.items).toHaveLength(1);

    const res = await c.request<any>({
      method: "POST",
      path: "/people/_search",
      body: { query: { range: { born: { gte: 1900 } } }, sort: [{ born: "asc" }] },
    });
    expect(res.hits.hits.map((h: any) => h._source.name)).toEqual(["Grace", "Edsger"]);
    const total = typeof res.hits.total === "number" ? res.hits.total : res.hits.total.value; // 6.x: a number
    expect(total).toBe(2);
  });

  it("reports an engine error with the cluster, the request and the engine's reason", async () => {
    const err = await c.request({ method: "POST", path: "/no-such-index/_search", body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterRequestError);
    expect((err as ClusterRequestError).status).toBe(404);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^source ${nodes[i].url.replace(/\./g, "\\.")}: POST /no-such-index/_search failed: 404 \\(index_not_found_exception: no such index`,
      ),
    );
    expect((err as Error).message).not.toContain(PASSWORD);
  });
});

describe("a wrong URL", () => {
  it("nothing listening: the error names the cluster and says to check the node and the port", async () => {
    const port = await closedPort();
    const c = connect({ url: `http://127.0.0.1:${port}`, username: "migrator", password: PASSWORD }, "destination", {
      retry: { maxAttempts: 2, baseDelayMs: 10 },
    });
    const err = await c.info().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(ClusterRequestError);
    const message = (err as Error).message;
    expect(message).toContain(`destination http://127.0.0.1:${port}: GET / failed: connection refused`);
    expect(message).toContain("is the node running, is the port right?");
    expect(message).not.toContain(PASSWORD);
  });

  it("a web server that is not a search engine: the error names the cluster and says which port to use", async () => {
    // What a user gets when the URL points at Kibana/Dashboards or a proxy's landing page.
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ name: "dashboards", status: "green" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const c = connect({ url }, "source");
    try {
      await expect(c.info()).rejects.toThrow(
        `source ${url}: GET / did not answer like Elasticsearch or OpenSearch (no version.number): {"name":"dashboards","status":"green"}. Check that the URL points at the cluster's HTTP port (9200, or 443 behind AWS), not at Kibana/Dashboards or a proxy page`,
      );
    } finally {
      await c.close();
      await new Promise((r) => server.close(r));
    }
  });

  it("the transport port of a real node (not HTTP): the error names the cluster and the problem", async () => {
    const node = nodes[1];
    const c = connect({ url: `http://127.0.0.1:${node.transportPort}` }, "source", { retry: { maxAttempts: 1 } });
    const err = await c.info().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(ClusterRequestError);
    expect((err as Error).message).toMatch(
      new RegExp(`^source http://127\\.0\\.0\\.1:${node.transportPort}: GET / failed: `),
    );
  });
});
