// AlicloudReindexAccess under Pulumi mocks: which children each architecture creates, their key properties,
// names, parents, and the outputs the Reindex resource and the instance YML consume.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { outputValue as value, setPulumiMocks, settle } from "../helpers/pulumi-mocks";

interface Created {
  type: string;
  name: string;
  inputs: Record<string, any>;
  parent?: string;
}

const created: Created[] = [];
const invokes: Array<{ token: string; args: Record<string, any> }> = [];

setPulumiMocks({
  newResource(args) {
    created.push({ type: args.type, name: args.name, inputs: args.inputs });
    const state: Record<string, any> = { ...args.inputs };
    if (args.type === "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer") state.address = "192.168.0.50";
    if (args.type.endsWith(":ElasticsearchVpcEndpoint")) {
      state.endpointId = "ep-bp1abc";
      state.endpointDomain = "ep-bp1abc.privatelink.aliyuncs.com";
      state.endpointStatus = "Active";
    }
    return { id: `${args.name}-id`, state };
  },
  call(args) {
    invokes.push({ token: args.token, args: args.inputs });
    if (args.token === "alicloud:vpc/getSwitches:getSwitches") {
      const known: Record<string, { cidrBlock: string; zoneId: string; vpcId: string }> = {
        "vsw-es": { cidrBlock: "192.168.10.0/24", zoneId: "cn-hangzhou-i", vpcId: "vpc-1" },
        "vsw-src": { cidrBlock: "192.168.0.0/24", zoneId: "cn-hangzhou-i", vpcId: "vpc-1" },
      };
      const ids: string[] = args.inputs.ids ?? [];
      const vswitches = ids
        .filter((id) => known[id] && (!args.inputs.vpcId || known[id]!.vpcId === args.inputs.vpcId))
        .map((id) => ({ id, ...known[id]! }));
      return { ids: vswitches.map((v) => v.id), vswitches };
    }
    if (args.token === "alicloud:ecs/getInstances:getInstances") {
      // Listed in the account's order, not the ids' order.
      const known = [
        { id: "i-2", privateIp: "192.168.0.12" },
        { id: "i-1", privateIp: "192.168.0.11" },
      ];
      const instances = known.filter((i) => (args.inputs.ids ?? []).includes(i.id));
      return { ids: instances.map((i) => i.id), instances };
    }
    if (args.token === "alicloud:elasticsearch/getInstances:getInstances") {
      const instances = [{ id: "es-cn-old", vswitchId: "vsw-es", version: "6.3.2_with_X-Pack" }].filter((i) =>
        (args.inputs.ids ?? []).includes(i.id),
      );
      return { ids: instances.map((i) => i.id), instances };
    }
    return {};
  },
});

type Mod = typeof import("../../components/alicloud");
let mod: Mod;
beforeAll(async () => {
  mod = await import("../../components/alicloud/index.js");
});
beforeEach(() => {
  created.length = 0;
  invokes.length = 0;
});

function byType(suffix: string): Created[] {
  return created.filter((c) => c.type.endsWith(suffix));
}

const source = {
  vpcId: "vpc-1",
  vswitchId: "vsw-src",
  securityGroupId: "sg-src",
  instanceIds: ["i-1", "i-2"],
};

describe("AlicloudReindexAccess v2", () => {
  it("opens TCP 9200 on the source security group to the ES nodes' CIDR (intranet) and whitelists each source IP:9200", async () => {
    const access = new mod.AlicloudReindexAccess("mig", {
      architecture: "v2",
      source: { ...source, privateIps: ["192.168.0.11", "192.168.0.12", "192.168.0.11"] },
      destination: { instanceId: "es-cn-old", cidr: "192.168.10.0/24" },
    });
    expect(await value(access.remoteHost)).toBe("http://192.168.0.11:9200");
    expect(await value(access.whitelistEntries)).toEqual(["192.168.0.11:9200", "192.168.0.12:9200"]);
    expect(await value(access.yml)).toBe('reindex.remote.whitelist: "192.168.0.11:9200,192.168.0.12:9200"\n');
    expect(await value(access.settingConfig)).toEqual({
      "reindex.remote.whitelist": "192.168.0.11:9200,192.168.0.12:9200",
    });
    await settle();
    const rules = byType("ecs/securityGroupRule:SecurityGroupRule");
    expect(rules).toHaveLength(1);
    expect(rules[0]!.name).toBe("mig-source-ingress");
    expect(rules[0]!.inputs).toMatchObject({
      securityGroupId: "sg-src",
      type: "ingress",
      ipProtocol: "tcp",
      nicType: "intranet",
      policy: "accept",
      portRange: "9200/9200",
      cidrIp: "192.168.10.0/24",
    });
    expect(rules[0]!.inputs.description).toMatch(/ES nodes .*192\.168\.10\.0\/24.* 9200 for remote reindex/);
    // v2 reaches the VPC directly: no CLB, no PrivateLink, no API calls.
    expect(byType("ApplicationLoadBalancer")).toHaveLength(0);
    expect(byType("VpcEndpointService")).toHaveLength(0);
    expect(created.filter((c) => c.type.startsWith("pulumi-nodejs:dynamic"))).toHaveLength(0);
  });

  it("looks the ES nodes' CIDR up from their vSwitch inside the source VPC", async () => {
    new mod.AlicloudReindexAccess("mig", {
      architecture: "v2",
      source: { ...source, privateIps: ["192.168.0.11"] },
      destination: { instanceId: "es-cn-old", vswitchId: "vsw-es" },
    });
    await settle();
    expect(invokes.find((i) => i.token === "alicloud:vpc/getSwitches:getSwitches")?.args).toMatchObject({
      ids: ["vsw-es"],
      vpcId: "vpc-1",
    });
    expect(byType("SecurityGroupRule")[0]!.inputs.cidrIp).toBe("192.168.10.0/24");
  });

  it("without privateIps nor a CIDR, looks up the ECS instances' private IPs and the ES instance's vSwitch", async () => {
    const access = new mod.AlicloudReindexAccess("mig", {
      architecture: "v2",
      source,
      destination: { instanceId: "es-cn-old" },
    });
    expect(await value(access.whitelistEntries)).toEqual(["192.168.0.11:9200", "192.168.0.12:9200"]);
    expect(await value(access.remoteHost)).toBe("http://192.168.0.11:9200");
    await settle();
    expect(invokes.find((i) => i.token === "alicloud:ecs/getInstances:getInstances")?.args).toMatchObject({
      ids: ["i-1", "i-2"],
    });
    expect(invokes.find((i) => i.token === "alicloud:elasticsearch/getInstances:getInstances")?.args).toMatchObject({
      ids: ["es-cn-old"],
    });
    expect(invokes.find((i) => i.token === "alicloud:vpc/getSwitches:getSwitches")?.args).toMatchObject({
      ids: ["vsw-es"],
      vpcId: "vpc-1",
    });
    expect(byType("SecurityGroupRule")[0]!.inputs.cidrIp).toBe("192.168.10.0/24");
  });

  it("takes privateIps as an override: no ECS look-up", async () => {
    const access = new mod.AlicloudReindexAccess("mig", {
      architecture: "v2",
      source: { ...source, privateIps: ["192.168.0.99"] },
      destination: { instanceId: "es-cn-old", cidr: "192.168.10.0/24" },
    });
    expect(await value(access.whitelistEntries)).toEqual(["192.168.0.99:9200"]);
    await settle();
    expect(invokes.filter((i) => i.token.includes("getInstances"))).toEqual([]);
  });

  it("uses an explicitly declared non-default port for the rule, the entries and the host", async () => {
    const access = new mod.AlicloudReindexAccess("mig", {
      architecture: "v2",
      source: { ...source, privateIps: ["http://192.168.0.11:9201"], port: 9201 },
      destination: { instanceId: "es-cn-old", cidr: "192.168.10.0/24" },
    });
    expect(await value(access.remoteHost)).toBe("http://192.168.0.11:9201");
    expect(await value(access.whitelistEntries)).toEqual(["192.168.0.11:9201"]);
    await settle();
    expect(byType("SecurityGroupRule")[0]!.inputs.portRange).toBe("9201/9201");
  });

  it.each([
    [{ endpointService: { autoAcceptConnection: true } }, /endpointService is a v3 option/],
    [{ clb: { loadBalancerSpec: "slb.s2.small" } }, /clb is a v3 option/],
    [{ source: { ...source, privateIps: [] } }, /source.privateIps is empty: leave it out/],
    [{ source: { ...source, instanceIds: [], privateIps: ["10.0.0.1"] } }, /source.instanceIds is empty/],
    [{ source: { ...source, privateIps: ["10.0.0.1:9300"] } }, /uses port 9300.*set source.port: 9300/],
    [{ source: { ...source, privateIps: ["http://10.0.0.1:9200/es"] } }, /has a path/],
  ])("refuses %j before creating anything", (override, message) => {
    const args = {
      architecture: "v2" as const,
      source: { ...source, privateIps: ["10.0.0.1"] },
      destination: { instanceId: "es-1", cidr: "10.1.0.0/24" },
      ...override,
    };
    expect(() => new mod.AlicloudReindexAccess("bad", args)).toThrow(message);
    expect(created).toHaveLength(0);
  });
});

describe("AlicloudReindexAccess v3", () => {
  const v3 = {
    architecture: "v3" as const,
    source: { ...source, zoneId: "cn-hangzhou-i" },
    destination: { instanceId: "es-cn-new" },
    api: { region: "cn-hangzhou" },
  };

  it("puts an intranet CLB with a TCP 9200 listener in front of the ECS instances", async () => {
    new mod.AlicloudReindexAccess("mig", v3);
    await settle();
    const clb = byType("slb/applicationLoadBalancer:ApplicationLoadBalancer");
    expect(clb.map((c) => c.name)).toEqual(["mig-clb"]);
    expect(clb[0]!.inputs).toMatchObject({ addressType: "intranet", vswitchId: "vsw-src", paymentType: "PayAsYouGo" });
    const listener = byType("slb/listener:Listener");
    expect(listener.map((c) => c.name)).toEqual(["mig-listener"]);
    expect(listener[0]!.inputs).toMatchObject({
      loadBalancerId: "mig-clb-id",
      protocol: "tcp",
      frontendPort: 9200,
      backendPort: 9200,
    });
    expect(listener[0]!.inputs.description).toMatch(/remote reindex/);
    const backends = byType("slb/backendServer:BackendServer");
    expect(backends.map((c) => c.name)).toEqual(["mig-backends"]);
    expect(backends[0]!.inputs.loadBalancerId).toBe("mig-clb-id");
    expect(backends[0]!.inputs.backendServers).toEqual([
      { serverId: "i-1", weight: 100, type: "ecs" },
      { serverId: "i-2", weight: 100, type: "ecs" },
    ]);
  });

  it("backs a PrivateLink endpoint service with the CLB and connects the ES instance to it", async () => {
    const access = new mod.AlicloudReindexAccess("mig", v3);
    expect(await value(access.remoteHost)).toBe("http://ep-bp1abc.privatelink.aliyuncs.com:9200");
    expect(await value(access.whitelistEntries)).toEqual(["ep-bp1abc.privatelink.aliyuncs.com:9200"]);
    expect(await value(access.yml)).toBe('reindex.remote.whitelist: "ep-bp1abc.privatelink.aliyuncs.com:9200"\n');
    await settle();
    const svc = byType("privatelink/vpcEndpointService:VpcEndpointService");
    expect(svc.map((c) => c.name)).toEqual(["mig-endpoint-service"]);
    expect(svc[0]!.inputs).toMatchObject({ serviceResourceType: "slb", autoAcceptConnection: true });
    expect(svc[0]!.inputs.resources).toBeUndefined();
    const res = byType("privatelink/vpcEndpointServiceResource:VpcEndpointServiceResource");
    expect(res.map((c) => c.name)).toEqual(["mig-endpoint-service-clb"]);
    expect(res[0]!.inputs).toEqual({
      serviceId: "mig-endpoint-service-id",
      resourceId: "mig-clb-id",
      resourceType: "slb",
    });
    const ep = byType(":ElasticsearchVpcEndpoint");
    expect(ep.map((c) => c.name)).toEqual(["mig-es-endpoint"]);
    expect(ep[0]!.type).toBe("pulumi-nodejs:dynamic/alicloud:ElasticsearchVpcEndpoint");
    expect(ep[0]!.inputs).toMatchObject({
      instanceId: "es-cn-new",
      serviceId: "mig-endpoint-service-id",
      zoneId: "cn-hangzhou-i",
      region: "cn-hangzhou",
    });
    expect(byType("VpcEndpointServiceUser")).toHaveLength(0);
  });

  it("admits the CLB's traffic on the source port, not the ES nodes", async () => {
    new mod.AlicloudReindexAccess("mig", { ...v3, source: { ...v3.source, port: 9201 } });
    await settle();
    const rules = byType("SecurityGroupRule");
    expect(rules).toHaveLength(1);
    expect(rules[0]!.inputs).toMatchObject({
      securityGroupId: "sg-src",
      nicType: "intranet",
      portRange: "9201/9201",
      cidrIp: "100.64.0.0/10",
    });
    expect(rules[0]!.inputs.description).toMatch(/CLB\/PrivateLink/);
    // The CLB still listens on 9200: the whitelist entry is the endpoint domain with 9200.
    expect(byType("Listener")[0]!.inputs).toMatchObject({ frontendPort: 9200, backendPort: 9201 });
  });

  it("adds one endpoint-service user per allowed account and waits for them before the endpoint", async () => {
    new mod.AlicloudReindexAccess("mig", {
      ...v3,
      endpointService: { autoAcceptConnection: false, allowedUserIds: ["1234567890"] },
    });
    await settle();
    const users = byType("VpcEndpointServiceUser");
    expect(users.map((u) => [u.name, u.inputs.userId, u.inputs.serviceId])).toEqual([
      ["mig-endpoint-user-0", "1234567890", "mig-endpoint-service-id"],
    ]);
    expect(byType("VpcEndpointService")[0]!.inputs.autoAcceptConnection).toBe(false);
  });

  it("takes the endpoint zone from the CLB's vSwitch when no zone is declared", async () => {
    new mod.AlicloudReindexAccess("mig", { ...v3, source: source });
    await settle();
    expect(byType(":ElasticsearchVpcEndpoint")[0]!.inputs.zoneId).toBe("cn-hangzhou-i");
  });

  it("parents every child to the component", async () => {
    const access = new mod.AlicloudReindexAccess("mig", { ...v3, updateInstanceYml: true });
    await settle();
    const urn = await value(access.urn);
    const children = created.filter((c) => c.type !== "pulumi-es-migrate:alicloud:ReindexAccess");
    expect(children.length).toBeGreaterThanOrEqual(7);
    for (const c of children) expect(c.name.startsWith("mig-")).toBe(true);
    // The mock monitor does not report parents; the URN of a child carries the parent's type chain.
    const childUrns = await Promise.all(
      [
        access.securityGroupRule,
        access.loadBalancer!,
        access.endpointService!,
        access.vpcEndpoint!,
        access.instanceWhitelist!,
      ].map((r) => value(r.urn)),
    );
    for (const u of childUrns) expect(u).toContain("pulumi-es-migrate:alicloud:ReindexAccess$");
    expect(urn).toContain("pulumi-es-migrate:alicloud:ReindexAccess::mig");
  });

  it("writes the whitelist into the instance YML through the API only when asked", async () => {
    const access = new mod.AlicloudReindexAccess("mig", { ...v3, updateInstanceYml: true });
    await settle();
    const wl = byType(":ElasticsearchInstanceWhitelist");
    expect(wl.map((c) => c.name)).toEqual(["mig-whitelist"]);
    expect(wl[0]!.inputs).toMatchObject({
      instanceId: "es-cn-new",
      region: "cn-hangzhou",
      entries: ["ep-bp1abc.privatelink.aliyuncs.com:9200"],
    });
    expect(await value(access.instanceWhitelist!.urn)).toContain("mig-whitelist");
  });

  it.each([
    [{ destination: { instanceId: "es-1", cidr: "10.0.0.0/24" } }, /destination.cidr is a v2 option/],
    [{ clb: { zoneId: "cn-hangzhou-j" } }, /same zone .*source.zoneId=cn-hangzhou-i, clb.zoneId=cn-hangzhou-j/],
    [{ destination: { instanceId: "es-1", zoneId: "cn-shanghai-b" } }, /one region/],
    [{ api: { region: "cn-beijing" } }, /one region .*region=cn-beijing/],
    [{ source: { ...source, zoneId: "cn-hangzhou-i", instanceIds: [] } }, /source.instanceIds is empty/],
    [{ architecture: "v4" }, /architecture must be "v2".* or "v3"/],
  ])("refuses %j before creating anything", (override, message) => {
    const args = { ...v3, ...override } as ConstructorParameters<typeof mod.AlicloudReindexAccess>[1];
    expect(() => new mod.AlicloudReindexAccess("bad", args)).toThrow(message);
    expect(created).toHaveLength(0);
  });
});
