// The allow list the cloud components compute is the one a real engine obeys: the YML that components/alicloud
// writes (v2: the source nodes' IP:port; v3: the PrivateLink endpoint on 9200, merged into an instance's existing
// YML) and the remote host that components/aws writes, given to an OpenSearch 2.19 destination at start, let a
// remote reindex from the matching host through and make the engine itself refuse any other.
import * as net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  mergeReindexWhitelist,
  planV2RemoteHost,
  planV2WhitelistEntries,
  planV3RemoteHost,
  planV3WhitelistEntries,
  WHITELIST_KEY,
  whitelistYml,
} from "../../components/alicloud/plan";
import { planRemoteHost, planRemoteOptions } from "../../components/aws/plan";
import { ClusterRequestError, connect } from "../../provider/connection";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, EngineHttpError, esJson, seedDocuments } from "../world/fixtures";

// js-yaml comes with @pulumi/pulumi (its own dependency) and has no bundled types.
const { load: parseYaml } = require("js-yaml") as { load(text: string): unknown };

const DOCS = 50;
let source: EngineNode;
let sourcePort: number;

/** Remote reindex of the source's `orders` into `destIndex`, run by `dest`; resolves to the created count. */
async function remoteReindex(
  dest: EngineNode,
  host: string,
  destIndex: string,
  extraRemote: Record<string, unknown> = {},
): Promise<number> {
  const c = connect({ url: dest.url }, "destination");
  try {
    const res = await c.request<any>({
      method: "POST",
      path: "/_reindex",
      querystring: { wait_for_completion: true, refresh: true },
      body: { source: { remote: { host, ...extraRemote }, index: "orders", size: 100 }, dest: { index: destIndex } },
    });
    expect(res.failures).toEqual([]);
    return res.created;
  } finally {
    await c.close();
  }
}

/** The engine's own reason for refusing a remote reindex from `host`. */
async function refusal(
  dest: EngineNode,
  host: string,
  extraRemote: Record<string, unknown> = {},
): Promise<ClusterRequestError> {
  const err = await remoteReindex(dest, host, "refused", extraRemote).then(
    (created) => new Error(`the reindex from ${host} was let through (${created} created)`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClusterRequestError);
  return err as ClusterRequestError;
}

/** The node's own settings as it read them at start (GET /_nodes/_local/settings, flat). */
async function nodeSettings(node: EngineNode): Promise<Record<string, unknown>> {
  const c = connect({ url: node.url }, "destination");
  try {
    const res = await c.request<any>({
      method: "GET",
      path: "/_nodes/_local/settings",
      querystring: { flat_settings: true },
    });
    return (Object.values(res.nodes)[0] as any).settings;
  } finally {
    await c.close();
  }
}

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  sourcePort = source.port;
  await seedDocuments(source.url, "orders", { count: DOCS });
});

afterAll(async () => {
  await source?.stop();
});

describe("Alibaba Cloud v2: the component's YML (source node IP:port) on an OpenSearch 2.19 destination", () => {
  let dest: EngineNode;
  let entries: string[];

  beforeAll(async () => {
    // The source node listens on 127.0.0.1:<port>, not 9200: declared as source.port, as the component requires.
    entries = planV2WhitelistEntries(["127.0.0.1"], sourcePort);
    const yml = parseYaml(whitelistYml(entries)) as Record<string, unknown>;
    expect(Object.keys(yml)).toEqual([WHITELIST_KEY]);
    dest = await startEngine({
      engine: "opensearch",
      version: "2.19.x",
      settings: { [WHITELIST_KEY]: yml[WHITELIST_KEY] as string },
    });
  });

  afterAll(async () => {
    await dest?.stop();
  });

  it("the node runs with exactly the value of the component's YML", async () => {
    expect(entries).toEqual([`127.0.0.1:${sourcePort}`]);
    expect((await nodeSettings(dest))[WHITELIST_KEY]).toBe(`127.0.0.1:${sourcePort}`);
  });

  it("lets a remote reindex from the component's remoteHost through", async () => {
    expect(await remoteReindex(dest, planV2RemoteHost(["127.0.0.1"], sourcePort), "orders-v2")).toBe(DOCS);
    expect(await countDocs(dest.url, "orders-v2")).toBe(DOCS);
  });

  it("refuses the same node under another host name, and another port, with the engine's own error", async () => {
    const byName = await refusal(dest, `http://localhost:${sourcePort}`);
    expect(byName.status).toBe(400);
    expect(byName.reason).toBe(`[localhost:${sourcePort}] not allowlisted in reindex.remote.allowlist`);
    const otherPort = await refusal(dest, `http://127.0.0.1:${sourcePort + 1}`);
    expect(otherPort.reason).toBe(`[127.0.0.1:${sourcePort + 1}] not allowlisted in reindex.remote.allowlist`);
  });

  it("AWS: the remoteHost (explicit port) and remote options the aws component computes go through too", async () => {
    const { remoteHost } = planRemoteHost("127.0.0.1", sourcePort, undefined);
    const remote = planRemoteOptions(undefined, "eu-west-1", "eu-west-1");
    expect(remoteHost).toBe(`http://127.0.0.1:${sourcePort}`);
    expect(remote).toEqual({});
    expect(await remoteReindex(dest, remoteHost, "orders-aws", { ...remote })).toBe(DOCS);
    // Why the component leaves AWS-only fields out unless they apply: the open-source engine refuses them. The
    // reason sits in the error's caused_by (root_cause only says "failed to parse field [source]"): read the body.
    const external = await esJson(dest.url, "POST", "/_reindex", {
      source: { remote: { host: remoteHost, ...planRemoteOptions(true, undefined, undefined) }, index: "orders" },
      dest: { index: "orders-external" },
    }).catch((e: unknown) => e);
    expect(external).toBeInstanceOf(EngineHttpError);
    expect(JSON.stringify((external as EngineHttpError).body)).toContain("Unsupported fields in [remote]: [external]");
  });
});

describe("Alibaba Cloud v3: the PrivateLink endpoint entry merged into an existing instance YML, on OpenSearch 2.19", () => {
  // The endpoint's domain resolves only inside Alibaba's VPC; 127.0.0.2 stands in for it, and a TCP forwarder
  // on 127.0.0.2:9200 for the CLB listener in front of the source node.
  const ENDPOINT = "127.0.0.2";
  let dest: EngineNode;
  let clb: net.Server;
  let settingConfig: Record<string, string>;

  beforeAll(async () => {
    clb = net.createServer((client) => {
      const upstream = net.connect(sourcePort, "127.0.0.1");
      client.pipe(upstream).pipe(client);
      const close = () => (client.destroy(), upstream.destroy());
      client.on("error", close);
      upstream.on("error", close);
    });
    await new Promise<void>((resolve, reject) => {
      clb.once("error", reject);
      clb.listen(9200, ENDPOINT, resolve);
    });
    // The user's instance already whitelists another source and sets another key: both must survive the merge.
    settingConfig = mergeReindexWhitelist(
      { [WHITELIST_KEY]: "10.0.0.9:9200", "http.max_content_length": "200mb" },
      planV3WhitelistEntries(ENDPOINT),
    );
    dest = await startEngine({ engine: "opensearch", version: "2.19.x", settings: settingConfig });
  });

  afterAll(async () => {
    await dest?.stop();
    await new Promise((r) => clb?.close(r));
  });

  it("the node runs with the merged YML: the old entry kept, the endpoint added, the other key untouched", async () => {
    expect(settingConfig).toEqual({
      [WHITELIST_KEY]: `10.0.0.9:9200,${ENDPOINT}:9200`,
      "http.max_content_length": "200mb",
    });
    const live = await nodeSettings(dest);
    expect(live[WHITELIST_KEY]).toBe(`10.0.0.9:9200,${ENDPOINT}:9200`);
    expect(live["http.max_content_length"]).toBe("200mb");
  });

  it("lets a remote reindex through the endpoint on 9200 (the component's remoteHost)", async () => {
    expect(await remoteReindex(dest, planV3RemoteHost(ENDPOINT), "orders-v3")).toBe(DOCS);
    expect(await countDocs(dest.url, "orders-v3")).toBe(DOCS);
  });

  it("refuses the source node's own address, which a v3 instance cannot reach", async () => {
    const direct = await refusal(dest, `http://127.0.0.1:${sourcePort}`);
    expect(direct.reason).toBe(`[127.0.0.1:${sourcePort}] not allowlisted in reindex.remote.allowlist`);
  });
});
