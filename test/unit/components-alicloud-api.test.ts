// The two Alibaba dynamic providers (the ES instance's PrivateLink endpoint, the instance YML whitelist) driving the
// official SDK against a local stand-in for the Elasticsearch API (the SDK accepts an endpoint and protocol
// override). What this verifies: the requests the SDK builds from our inputs (method, path, body, query, signed
// headers), our polling and idempotency logic, error reporting. What it cannot: Alibaba's real responses and timing.
import * as http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeServer, listenOnLoopback, onBody, replyJson } from "../helpers/http-server";
import { vpcEndpointProvider } from "../../provider/alicloud/vpc-endpoint";
import { instanceWhitelistProvider } from "../../provider/alicloud/instance-whitelist";

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  action: string;
  authorization: string;
  raw: string;
  body: any;
}

interface Endpoint {
  endpointId: string;
  endpointDomain: string;
  serviceId: string;
  endpointStatus: string;
  connectionStatus: string;
  polls: number;
}

const seen: Seen[] = [];
let endpoints: Endpoint[] = [];
let instance: { esConfig: Record<string, unknown>; status: string; restartPolls: number };
let server: http.Server;
let api: { region: string; apiEndpoint: string; apiProtocol: "HTTP"; accessKeyId: string; accessKeySecret: string };
const SECRET = "s3cr3t-access-key-secret";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    onBody(req, (raw) => {
      const url = new URL(req.url ?? "/", "http://x");
      const s: Seen = {
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        action: String(req.headers["x-acs-action"] ?? ""),
        authorization: String(req.headers.authorization ?? ""),
        raw: raw + JSON.stringify(req.headers),
        body: raw ? JSON.parse(raw) : undefined,
      };
      seen.push(s);
      const m = /^\/openapi\/instances\/([^/]+)(\/vpc-endpoints(?:\/([^/]+))?|\/instance-settings)?$/.exec(
        url.pathname,
      );
      if (!m || m[1] !== "es-cn-1")
        return replyJson(res, 404, { RequestId: "r-404", Code: "InstanceNotFound", Message: `no instance ${m?.[1]}` });
      if (s.action === "CreateVpcEndpoint") {
        const ep: Endpoint = {
          endpointId: `ep-${endpoints.length + 1}`,
          endpointDomain: `ep-${endpoints.length + 1}.epsrv-x.cn-hangzhou.privatelink.aliyuncs.com`,
          serviceId: s.body.serviceId,
          endpointStatus: "Creating",
          connectionStatus: "Connecting",
          polls: 0,
        };
        endpoints.push(ep);
        return replyJson(res, 200, {
          RequestId: "r1",
          Result: { endpointId: ep.endpointId, endpointDomain: ep.endpointDomain, serviceId: ep.serviceId },
        });
      }
      if (s.action === "ListVpcEndpoints") {
        // Each endpoint becomes Active on the third look, and a deleted one goes away on the next.
        for (const e of endpoints) {
          e.polls++;
          if (e.endpointStatus === "Creating" && e.polls >= 3)
            Object.assign(e, { endpointStatus: "Active", connectionStatus: "Connected" });
        }
        const listed = endpoints.map(({ polls: _p, ...rest }) => rest);
        endpoints = endpoints.filter((e) => e.endpointStatus !== "Deleting");
        return replyJson(res, 200, { RequestId: "r2", Result: listed });
      }
      if (s.action === "DeleteVpcEndpoint") {
        const e = endpoints.find((x) => x.endpointId === m[3]);
        if (!e) return replyJson(res, 404, { RequestId: "r3", Code: "Endpoint.NotFound", Message: "gone" });
        e.endpointStatus = "Deleting";
        return replyJson(res, 200, { RequestId: "r3", Result: true });
      }
      if (s.action === "DescribeInstance") {
        if (instance.status === "activating" && --instance.restartPolls <= 0) instance.status = "active";
        return replyJson(res, 200, {
          RequestId: "r4",
          Result: { instanceId: "es-cn-1", status: instance.status, esConfig: instance.esConfig },
        });
      }
      if (s.action === "UpdateInstanceSettings") {
        instance.esConfig = s.body.esConfig;
        instance.status = "activating";
        instance.restartPolls = 2;
        return replyJson(res, 200, { RequestId: "r5", Result: true });
      }
      return replyJson(res, 400, { RequestId: "r6", Code: "UnexpectedAction", Message: s.action });
    });
  });
  api = {
    region: "cn-hangzhou",
    apiEndpoint: await listenOnLoopback(server),
    apiProtocol: "HTTP",
    accessKeyId: "LTAI-test",
    accessKeySecret: SECRET,
  };
});

afterAll(() => closeServer(server));

beforeEach(() => {
  seen.length = 0;
  endpoints = [];
  instance = {
    esConfig: { "action.auto_create_index": "+.*,-*", "reindex.remote.whitelist": "old-host:9200" },
    status: "active",
    restartPolls: 0,
  };
});

const fast = { pollIntervalSeconds: 0.01, timeoutSeconds: 5 };

async function createEndpoint(inputs: Parameters<NonNullable<typeof vpcEndpointProvider.create>>[0]) {
  const r = await vpcEndpointProvider.create!(inputs);
  return { id: r.id, outs: r.outs! };
}
async function createWhitelist(inputs: Parameters<NonNullable<typeof instanceWhitelistProvider.create>>[0]) {
  const r = await instanceWhitelistProvider.create!(inputs);
  return { id: r.id, outs: r.outs! };
}

describe("ElasticsearchVpcEndpoint provider", () => {
  it("creates the endpoint with the service and zone, waits for Active and returns its domain", async () => {
    const inputs = { ...api, ...fast, instanceId: "es-cn-1", serviceId: "epsrv-x", zoneId: "cn-hangzhou-i" };
    const { id, outs } = await createEndpoint(inputs);
    expect(id).toBe("ep-1");
    expect(outs).toMatchObject({
      endpointId: "ep-1",
      endpointDomain: "ep-1.epsrv-x.cn-hangzhou.privatelink.aliyuncs.com",
      endpointStatus: "Active",
    });
    const create = seen.filter((s) => s.action === "CreateVpcEndpoint");
    expect(create).toHaveLength(1);
    expect(create[0]).toMatchObject({
      method: "POST",
      path: "/openapi/instances/es-cn-1/vpc-endpoints",
      body: { serviceId: "epsrv-x", zoneId: "cn-hangzhou-i" },
    });
    expect(create[0]!.query.get("ClientToken")).toMatch(/^[0-9a-f-]{36}$/);
    // Signed with the access key id; the secret itself never travels.
    expect(create[0]!.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAI-test,/);
    for (const s of seen) expect(s.raw).not.toContain(SECRET);
    // Listed once before creating (idempotency), then polled until Active (third look).
    expect(seen.map((s) => s.action)).toEqual([
      "ListVpcEndpoints",
      "CreateVpcEndpoint",
      "ListVpcEndpoints",
      "ListVpcEndpoints",
      "ListVpcEndpoints",
    ]);
    expect(seen.find((s) => s.action === "ListVpcEndpoints")!.query.get("size")).toBe("50");
  });

  it("adopts an endpoint it created before an interrupted run instead of creating a second", async () => {
    endpoints.push({
      endpointId: "ep-9",
      endpointDomain: "ep-9.x.privatelink.aliyuncs.com",
      serviceId: "epsrv-x",
      endpointStatus: "Active",
      connectionStatus: "Connected",
      polls: 9,
    });
    const { id } = await createEndpoint({
      ...api,
      ...fast,
      instanceId: "es-cn-1",
      serviceId: "epsrv-x",
      zoneId: "cn-hangzhou-i",
    });
    expect(id).toBe("ep-9");
    expect(seen.some((s) => s.action === "CreateVpcEndpoint")).toBe(false);
  });

  it("keeps the id when the endpoint does not become Active in time, and says why", async () => {
    const err = await vpcEndpointProvider.create!({
      ...api,
      pollIntervalSeconds: 0.01,
      timeoutSeconds: 0,
      instanceId: "es-cn-1",
      serviceId: "epsrv-x",
      zoneId: "cn-hangzhou-i",
    }).catch((e) => e);
    expect(err.message).toMatch(/ep-1 of es-cn-1 is still Creating .* after 0s/);
    expect(err.id).toBe("ep-1");
    expect(err.properties.endpointId).toBe("ep-1");
  });

  it("reads an endpoint back and reports a vanished one as gone", async () => {
    const { id, outs } = await createEndpoint({
      ...api,
      ...fast,
      instanceId: "es-cn-1",
      serviceId: "epsrv-x",
      zoneId: "cn-hangzhou-i",
    });
    expect((await vpcEndpointProvider.read!(id, outs)).props!.endpointDomain).toBe(outs.endpointDomain);
    endpoints = [];
    expect((await vpcEndpointProvider.read!(id, outs)).id).toBeUndefined();
  });

  it("deletes the endpoint and waits until it is no longer listed", async () => {
    const { id, outs } = await createEndpoint({
      ...api,
      ...fast,
      instanceId: "es-cn-1",
      serviceId: "epsrv-x",
      zoneId: "cn-hangzhou-i",
    });
    seen.length = 0;
    await vpcEndpointProvider.delete!(id, outs);
    expect(seen[0]).toMatchObject({
      method: "DELETE",
      path: "/openapi/instances/es-cn-1/vpc-endpoints/ep-1",
      action: "DeleteVpcEndpoint",
    });
    expect(endpoints).toHaveLength(0);
    // Deleting again (already gone) succeeds.
    await vpcEndpointProvider.delete!(id, outs);
  });

  it("replaces on a new service or zone and updates in place for a new timeout", async () => {
    const olds = {
      ...api,
      ...fast,
      instanceId: "es-cn-1",
      serviceId: "epsrv-x",
      zoneId: "cn-hangzhou-i",
      endpointId: "ep-1",
      endpointDomain: "d",
    };
    expect(await vpcEndpointProvider.diff!("ep-1", olds, { ...olds, zoneId: "cn-hangzhou-j" })).toMatchObject({
      changes: true,
      replaces: ["zoneId"],
    });
    expect(await vpcEndpointProvider.diff!("ep-1", olds, { ...olds, timeoutSeconds: 60 })).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it("reports the API's error code and request id, without the secret", async () => {
    const err = await vpcEndpointProvider.create!({
      ...api,
      ...fast,
      instanceId: "es-missing",
      serviceId: "epsrv-x",
      zoneId: "z",
    }).catch((e) => e);
    expect(err.message).toMatch(/ListVpcEndpoints\(es-missing\) failed: .*InstanceNotFound/);
    expect(err.message).not.toContain(SECRET);
  });

  it("asks for credentials when neither inputs nor environment have them", async () => {
    const saved = { ...process.env };
    for (const k of [
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
      "ALICLOUD_ACCESS_KEY",
      "ALICLOUD_SECRET_KEY",
    ])
      delete process.env[k];
    try {
      const { accessKeyId: _a, accessKeySecret: _b, ...noCreds } = api;
      await expect(
        vpcEndpointProvider.create!({ ...noCreds, ...fast, instanceId: "es-cn-1", serviceId: "s", zoneId: "z" }),
      ).rejects.toThrow(/ALIBABA_CLOUD_ACCESS_KEY_ID/);
    } finally {
      Object.assign(process.env, saved);
    }
  });
});

describe("ElasticsearchInstanceWhitelist provider", () => {
  // `api` is filled in once the stand-in listens.
  const base = () => ({ ...api, ...fast, instanceId: "es-cn-1" });

  it("merges the entries into the instance YML, keeps other keys and waits for the restart", async () => {
    const { outs } = await createWhitelist({ ...base(), entries: ["ep-1.privatelink.aliyuncs.com:9200"] });
    const update = seen.filter((s) => s.action === "UpdateInstanceSettings");
    expect(update).toHaveLength(1);
    expect(update[0]).toMatchObject({ method: "POST", path: "/openapi/instances/es-cn-1/instance-settings" });
    expect(update[0]!.body.esConfig).toEqual({
      "action.auto_create_index": "+.*,-*",
      "reindex.remote.whitelist": "old-host:9200,ep-1.privatelink.aliyuncs.com:9200",
    });
    expect(instance.status).toBe("active");
    expect(outs.preexisting).toEqual(["old-host:9200"]);
    expect(outs.whitelist).toBe("old-host:9200,ep-1.privatelink.aliyuncs.com:9200");
    for (const s of seen) expect(s.raw).not.toContain(SECRET);
  });

  it("does not restart the instance when the entries are already there", async () => {
    await instanceWhitelistProvider.create!({ ...base(), entries: ["old-host:9200"] });
    expect(seen.map((s) => s.action)).toEqual(["DescribeInstance"]);
  });

  it("swaps its own entries on update and leaves entries it found in place on delete", async () => {
    const { outs } = await createWhitelist({ ...base(), entries: ["a:9200"] });
    const upd = await instanceWhitelistProvider.update!("es-cn-1/reindex.remote.whitelist", outs, {
      ...base(),
      entries: ["b:9200"],
    });
    expect(instance.esConfig["reindex.remote.whitelist"]).toBe("old-host:9200,b:9200");
    await instanceWhitelistProvider.delete!("es-cn-1/reindex.remote.whitelist", upd.outs!);
    expect(instance.esConfig).toEqual({
      "action.auto_create_index": "+.*,-*",
      "reindex.remote.whitelist": "old-host:9200",
    });
  });

  it.each([
    ["the guide's list form", '["10.0.1.1:9200","10.0.1.2:9200"]'],
    ["the comma form", "10.0.1.1:9200, 10.0.1.2:9200"],
    ["a YAML block list", "- 10.0.1.1:9200\n- 10.0.1.2:9200\n"],
  ])("reads %s from the instance YML and writes back whole entries", async (_form, value) => {
    instance.esConfig = { "reindex.remote.whitelist": value };
    const { outs } = await createWhitelist({ ...base(), entries: ["10.0.1.3:9200"] });
    expect(instance.esConfig).toEqual({ "reindex.remote.whitelist": "10.0.1.1:9200,10.0.1.2:9200,10.0.1.3:9200" });
    expect(outs.preexisting).toEqual(["10.0.1.1:9200", "10.0.1.2:9200"]);
  });

  it("refuses entries that are not host:port", async () => {
    const { failures } = await instanceWhitelistProvider.check!({} as never, {
      ...base(),
      entries: ["http://a:9200", "b:9200"],
    });
    expect(failures).toEqual([
      { property: "entries", reason: 'whitelist entry "http://a:9200" must be host:port (no scheme, no path)' },
    ]);
  });
});
