// The Alibaba Cloud planning functions: whitelist entries, remote host, security-group rule, YML merge, validation.
import { describe, expect, it } from "vitest";
import {
  mergeReindexWhitelist,
  parseSourceAddress,
  planSecurityGroupRule,
  planV2RemoteHost,
  planV2WhitelistEntries,
  planV3RemoteHost,
  planV3WhitelistEntries,
  regionOfZone,
  splitWhitelist,
  planV2DestinationVswitch,
  planV2PrivateIps,
  validateAccessShape,
  whitelistYml,
  type AccessShape,
} from "../../components/alicloud/plan";

describe("v2 whitelist entries and remote host", () => {
  it.each([
    { ips: ["10.0.0.5"], port: undefined, entries: ["10.0.0.5:9200"], host: "http://10.0.0.5:9200" },
    {
      ips: ["10.0.0.5", "10.0.0.6"],
      port: undefined,
      entries: ["10.0.0.5:9200", "10.0.0.6:9200"],
      host: "http://10.0.0.5:9200",
    },
    {
      ips: ["10.0.0.5:9200", "http://10.0.0.5:9200/"],
      port: undefined,
      entries: ["10.0.0.5:9200"],
      host: "http://10.0.0.5:9200",
    },
    {
      ips: [" 10.0.0.7 ", "10.0.0.5"],
      port: undefined,
      entries: ["10.0.0.7:9200", "10.0.0.5:9200"],
      host: "http://10.0.0.7:9200",
    },
    {
      ips: ["10.0.0.5", "10.0.0.6:9201"],
      port: 9201,
      entries: ["10.0.0.5:9201", "10.0.0.6:9201"],
      host: "http://10.0.0.5:9201",
    },
    { ips: ["127.0.0.1"], port: 39200, entries: ["127.0.0.1:39200"], host: "http://127.0.0.1:39200" },
  ])("$ips with port $port -> $entries, $host", ({ ips, port, entries, host }) => {
    expect(planV2WhitelistEntries(ips, port)).toEqual(entries);
    expect(planV2RemoteHost(ips, port)).toBe(host);
  });

  it.each([
    { ips: [] as string[], port: undefined, error: /privateIps is empty/ },
    { ips: ["10.0.0.5:9300"], port: undefined, error: /uses port 9300; .* set source.port: 9300/ },
    { ips: ["http://10.0.0.5"], port: 9201, error: undefined },
    { ips: ["10.0.0.5:9200"], port: 9201, error: /uses port 9200 but source.port is 9201/ },
    { ips: ["http://10.0.0.5:9200/es"], port: undefined, error: /has a path/ },
    { ips: ["http://10.0.0.5:9200?x=1"], port: undefined, error: /has a path/ },
    { ips: ["http://u:p@10.0.0.5:9200"], port: undefined, error: /carries credentials/ },
    { ips: ["10.0.0.5/24"], port: undefined, error: /neither an IP, IP:port nor a URL/ },
    { ips: [""], port: undefined, error: /empty entry/ },
  ])("$ips with port $port -> $error", ({ ips, port, error }) => {
    if (error) expect(() => planV2WhitelistEntries(ips, port)).toThrow(error);
    else expect(planV2WhitelistEntries(ips, port)).toEqual(["10.0.0.5:9201"]);
  });

  it("does not echo credentials from a refused URL's password", () => {
    expect(() => parseSourceAddress("http://elastic:s3cret@10.0.0.5:9200/x", undefined)).toThrow(
      /10\.0\.0\.5 carries credentials/,
    );
    expect(() => parseSourceAddress("http://elastic:s3cret@10.0.0.5:9200/x", undefined)).not.toThrow(/s3cret/);
  });
});

describe("v3 whitelist entry and remote host", () => {
  it.each([
    [
      "ep-bp1abc.privatelink.aliyuncs.com",
      ["ep-bp1abc.privatelink.aliyuncs.com:9200"],
      "http://ep-bp1abc.privatelink.aliyuncs.com:9200",
    ],
    [
      "ep-x.epsrv-y.cn-hangzhou.privatelink.aliyuncs.com",
      ["ep-x.epsrv-y.cn-hangzhou.privatelink.aliyuncs.com:9200"],
      "http://ep-x.epsrv-y.cn-hangzhou.privatelink.aliyuncs.com:9200",
    ],
  ])("%s -> %j", (domain, entries, host) => {
    expect(planV3WhitelistEntries(domain)).toEqual(entries);
    expect(planV3RemoteHost(domain)).toBe(host);
  });

  it.each(["", "http://ep-1.privatelink.aliyuncs.com", "ep-1.privatelink.aliyuncs.com:9200"])(
    "refuses endpoint domain %j",
    (domain) => {
      expect(() => planV3WhitelistEntries(domain)).toThrow(/not a bare host name/);
    },
  );
});

describe("security-group rule", () => {
  it.each([
    [
      "v2",
      9200,
      "192.168.10.0/24",
      "9200/9200",
      /Alibaba ES nodes \(192\.168\.10\.0\/24\) -> source Elasticsearch 9200 for remote reindex/,
    ],
    [
      "v3",
      9201,
      "100.64.0.0/10",
      "9201/9201",
      /CLB\/PrivateLink traffic \(100\.64\.0\.0\/10\) -> source Elasticsearch 9201/,
    ],
  ] as const)("%s on port %d from %s", (arch, port, cidr, range, description) => {
    const rule = planSecurityGroupRule(arch, port, cidr);
    expect(rule).toMatchObject({
      type: "ingress",
      ipProtocol: "tcp",
      nicType: "intranet",
      policy: "accept",
      portRange: range,
      cidrIp: cidr,
    });
    expect(rule.description).toMatch(description);
  });
});

describe("mergeReindexWhitelist", () => {
  it.each([
    {
      name: "adds to an empty YML",
      existing: undefined,
      entries: ["a:9200"],
      remove: [],
      out: { "reindex.remote.whitelist": "a:9200" },
    },
    {
      name: "keeps other keys",
      existing: { "action.auto_create_index": "+.*,-*", "http.cors.enabled": "false" },
      entries: ["a:9200"],
      remove: [],
      out: { "action.auto_create_index": "+.*,-*", "http.cors.enabled": "false", "reindex.remote.whitelist": "a:9200" },
    },
    {
      name: "keeps existing entries first and dedupes",
      existing: { "reindex.remote.whitelist": "old:9200, a:9200" },
      entries: ["a:9200", "b:9200", "b:9200"],
      remove: [],
      out: { "reindex.remote.whitelist": "old:9200,a:9200,b:9200" },
    },
    {
      name: "reads a YAML list value",
      existing: { "reindex.remote.whitelist": ["old:9200"] },
      entries: ["a:9200"],
      remove: [],
      out: { "reindex.remote.whitelist": "old:9200,a:9200" },
    },
    {
      // Alibaba's guide writes this form; split on commas it became `["10.0.1.1:9200"` and `"10.0.1.2:9200"]`.
      name: "reads the guide's flow list",
      existing: { "reindex.remote.whitelist": '["10.0.1.1:9200","10.0.1.2:9200"]' },
      entries: ["10.0.1.3:9200"],
      remove: [],
      out: { "reindex.remote.whitelist": "10.0.1.1:9200,10.0.1.2:9200,10.0.1.3:9200" },
    },
    {
      name: "reads a YAML block list",
      existing: { "reindex.remote.whitelist": "- 10.0.1.1:9200\n- '10.0.1.2:9200'\n" },
      entries: ["10.0.1.1:9200"],
      remove: [],
      out: { "reindex.remote.whitelist": "10.0.1.1:9200,10.0.1.2:9200" },
    },
    {
      name: "reads the comma form, quoted or plain, with wildcards",
      existing: { "reindex.remote.whitelist": "*.privatelink.aliyuncs.com:9200, 10.0.1.1:9200" },
      entries: ["10.0.1.2:9200"],
      remove: [],
      out: { "reindex.remote.whitelist": "*.privatelink.aliyuncs.com:9200,10.0.1.1:9200,10.0.1.2:9200" },
    },
    {
      name: "removes entries it is told to",
      existing: { "reindex.remote.whitelist": "old:9200,a:9200", k: "v" },
      entries: ["b:9200"],
      remove: ["a:9200"],
      out: { k: "v", "reindex.remote.whitelist": "old:9200,b:9200" },
    },
    {
      name: "drops the key when nothing is left",
      existing: { "reindex.remote.whitelist": "a:9200", k: "v" },
      entries: [],
      remove: ["a:9200"],
      out: { k: "v" },
    },
    {
      name: "stringifies non-string values the API returned",
      existing: { "thread_pool.write.queue_size": 1000, "x.enabled": true },
      entries: ["a:9200"],
      remove: [],
      out: { "thread_pool.write.queue_size": "1000", "x.enabled": "true", "reindex.remote.whitelist": "a:9200" },
    },
  ])("$name", ({ existing, entries, remove, out }) => {
    expect(mergeReindexWhitelist(existing as Record<string, unknown> | undefined, entries, remove)).toEqual(out);
  });

  it.each([
    ['["10.0.1.1:9200","10.0.1.2:9200"]', ["10.0.1.1:9200", "10.0.1.2:9200"]],
    ["[10.0.1.1:9200, 10.0.1.2:9200]", ["10.0.1.1:9200", "10.0.1.2:9200"]],
    ["- 10.0.1.1:9200\n- 10.0.1.2:9200", ["10.0.1.1:9200", "10.0.1.2:9200"]],
    ['"10.0.1.1:9200,10.0.1.2:9200"', ["10.0.1.1:9200", "10.0.1.2:9200"]],
    ["10.0.1.1:9200,10.0.1.2:9200", ["10.0.1.1:9200", "10.0.1.2:9200"]],
    ["", []],
  ])("reads the YML value %j as %j", (value, entries) => expect(splitWhitelist(value)).toEqual(entries));

  it("refuses a value the engine could not read either, naming the setting, instead of writing it back broken", () => {
    expect(() =>
      mergeReindexWhitelist({ "reindex.remote.whitelist": '["10.0.1.1:9200", "10.0.1.2:9200"' }, ["a:9200"]),
    ).toThrow(
      /^reindex.remote.whitelist in the instance YML is not a list the engine could read \(.+\): fix it in the console/,
    );
  });

  it("does not modify the map it was given", () => {
    const existing = { "reindex.remote.whitelist": "a:9200" };
    mergeReindexWhitelist(existing, ["b:9200"]);
    expect(existing).toEqual({ "reindex.remote.whitelist": "a:9200" });
  });
});

describe("whitelist YML", () => {
  it.each([
    [["a:9200"], 'reindex.remote.whitelist: "a:9200"\n'],
    [["a:9200", "b:9200", "a:9200"], 'reindex.remote.whitelist: "a:9200,b:9200"\n'],
  ])("%j -> %j", (entries, yml) => {
    expect(whitelistYml(entries)).toBe(yml);
    expect(splitWhitelist(yml.split(": ")[1]!.trim().slice(1, -1))).toEqual([...new Set(entries)]);
  });
});

describe("regionOfZone", () => {
  it.each([
    ["cn-hangzhou-i", "cn-hangzhou"],
    ["cn-beijing-a", "cn-beijing"],
    ["ap-southeast-1a", "ap-southeast-1"],
    ["eu-central-1b", "eu-central-1"],
  ])("%s is in %s", (zone, region) => expect(regionOfZone(zone)).toBe(region));
});

describe("v2 look-ups", () => {
  const found = [
    { id: "i-2", privateIp: "192.168.0.12" },
    { id: "i-1", privateIp: "192.168.0.11" },
    { id: "i-3", privateIp: "" },
  ];
  it.each([
    { ids: ["i-1", "i-2"], ips: ["192.168.0.11", "192.168.0.12"], error: undefined },
    { ids: ["i-2", "i-1"], ips: ["192.168.0.12", "192.168.0.11"], error: undefined },
    {
      ids: ["i-1", "i-9", "i-8"],
      ips: [],
      error: /^source.instanceIds i-9, i-8 not found by the ECS look-up .* or give source.privateIps$/,
    },
    {
      ids: ["i-3"],
      ips: [],
      error: /^source.instanceIds i-3 have no private IP in their VPC: give source.privateIps$/,
    },
  ])("the private IPs of $ids, in their order: $ips", ({ ids, ips, error }) => {
    if (error) expect(() => planV2PrivateIps(ids, found)).toThrow(error);
    else expect(planV2PrivateIps(ids, found)).toEqual(ips);
  });

  it.each([
    { id: "es-cn-1", vswitch: "vsw-es", error: undefined },
    {
      id: "es-cn-9",
      vswitch: undefined,
      error: /^destination.instanceId es-cn-9 not found .* or give destination.cidr$/,
    },
    { id: "es-cn-2", vswitch: undefined, error: /reports no vSwitch: give destination.cidr/ },
  ])("the vSwitch of $id: $vswitch", ({ id, vswitch, error }) => {
    const instances = [{ id: "es-cn-1", vswitchId: "vsw-es" }, { id: "es-cn-2" }];
    if (error) expect(() => planV2DestinationVswitch(id, instances)).toThrow(error);
    else expect(planV2DestinationVswitch(id, instances)).toBe(vswitch);
  });
});

describe("validateAccessShape", () => {
  const v2: AccessShape = {
    architecture: "v2",
    instanceIdCount: 2,
    privateIpCount: 2,
    destinationCidrGiven: true,
    destinationVswitchGiven: false,
    endpointServiceGiven: false,
    clbGiven: false,
  };
  const v3: AccessShape = {
    architecture: "v3",
    instanceIdCount: 2,
    destinationCidrGiven: false,
    destinationVswitchGiven: false,
    endpointServiceGiven: false,
    clbGiven: false,
    sourceZoneId: "cn-hangzhou-i",
  };

  it.each([
    ["a complete v2", v2, []],
    ["a complete v3", v3, []],
    [
      "v3 with matching zones and region",
      { ...v3, clbZoneId: "cn-hangzhou-i", destinationZoneId: "cn-hangzhou-i", region: "cn-hangzhou" },
      [],
    ],
    ["v2 with endpoint options", { ...v2, endpointServiceGiven: true }, [/endpointService is a v3 option/]],
    ["v2 with CLB options", { ...v2, clbGiven: true }, [/clb is a v3 option/]],
    // Looked up from source.instanceIds and the instance's own vSwitch.
    [
      "v2 without private IPs nor the ES nodes' CIDR",
      { ...v2, privateIpCount: undefined, destinationCidrGiven: false },
      [],
    ],
    [
      "v2 with an empty list of private IPs",
      { ...v2, privateIpCount: 0 },
      [/privateIps is empty: leave it out to look the IPs up from source.instanceIds/],
    ],
    ["v3 with a v2 CIDR", { ...v3, destinationCidrGiven: true }, [/destination.cidr is a v2 option/]],
    [
      "v3 with the CLB in another zone",
      { ...v3, clbZoneId: "cn-hangzhou-j" },
      [/same zone .*source.zoneId=cn-hangzhou-i, clb.zoneId=cn-hangzhou-j/],
    ],
    ["v3 with the ES endpoint in another zone", { ...v3, destinationZoneId: "cn-hangzhou-h" }, [/same zone/]],
    ["v3 with the CLB in another region", { ...v3, clbZoneId: "cn-shanghai-b" }, [/one region/]],
    ["v3 whose API region differs from the zones", { ...v3, region: "cn-beijing" }, [/one region .*region=cn-beijing/]],
    ["no instances", { ...v2, instanceIdCount: 0 }, [/source.instanceIds is empty/]],
    ["a port out of range", { ...v2, sourcePort: 70000 }, [/source.port must be an integer between 1 and 65535/]],
    ["an unknown architecture", { ...v2, architecture: "v1" }, [/architecture must be "v2"/]],
    [
      "several problems at once",
      { ...v2, endpointServiceGiven: true, instanceIdCount: 0 },
      [/instanceIds is empty/, /endpointService is a v3 option/],
    ],
  ] as Array<[string, AccessShape, RegExp[]]>)("%s", (_name, shape, expected) => {
    const errors = validateAccessShape(shape);
    expect(errors).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(errors[i]).toMatch(re));
  });
});
