// The cloud access components served by the plugin to other languages, under Pulumi mocks: built through the
// plugin's `construct`, each registers the same cloud resources with the same inputs as the TypeScript class, hands
// back its outputs, refuses what TypeScript's types would have refused, and fails naming the cloud SDK to install
// (and where) when the plugin cannot load it.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isSecret, outputValue, setPulumiMocks, settle, unwrapSecrets } from "../helpers/pulumi-mocks";
import * as pulumi from "@pulumi/pulumi";

interface Created {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const created: Created[] = [];

setPulumiMocks({
  newResource(args) {
    created.push({ type: args.type, name: args.name, inputs: args.inputs });
    const state: Record<string, unknown> = { ...args.inputs };
    if (args.type === "aws:opensearch/outboundConnection:OutboundConnection")
      state.connectionProperties = { endpoint: "vpce-0abc-src.es.eu-west-1.vpce.amazonaws.com" };
    if (args.type === "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer") state.address = "192.168.0.50";
    if (args.type.endsWith(":ElasticsearchVpcEndpoint")) state.endpointDomain = "ep-bp1abc.privatelink.aliyuncs.com";
    return { id: `${args.name}-id`, state };
  },
  call(args) {
    if (args.token === "aws:index/getRegion:getRegion") return { name: "eu-west-1", region: "eu-west-1" };
    if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") return { accountId: "111122223333" };
    if (args.token === "alicloud:vpc/getSwitches:getSwitches")
      return { ids: ["vsw-src"], vswitches: [{ id: "vsw-src", cidrBlock: "192.168.0.0/24", zoneId: "cn-hangzhou-i" }] };
    return {};
  },
});

// The plugin first (its served resource class replaces the dynamic one), then the TypeScript classes.
let plugin: typeof import("../../plugin/components");
let cloud: typeof import("../../plugin/cloud-access");
let aws: typeof import("../../components/aws");
let alicloud: typeof import("../../components/alicloud");
beforeAll(async () => {
  plugin = await import("../../plugin/components.js");
  cloud = await import("../../plugin/cloud-access.js");
  aws = await import("../../components/aws/index.js");
  alicloud = await import("../../components/alicloud/index.js");
});
beforeEach(() => {
  created.length = 0;
});

/**
 * What a build registered below the component (the served one's own component and the class's left out), by name:
 * registration is asynchronous, so its order is not the program's.
 */
async function children(build: () => Promise<unknown> | unknown): Promise<Created[]> {
  created.length = 0;
  await build();
  await settle();
  return created
    .filter((c) => !c.type.startsWith("es-migrate:index:") || c.type.endsWith("Endpoint"))
    .filter((c) => !c.type.endsWith(":ReindexAccess"))
    .map((c) => ({ ...c, inputs: unwrapSecrets(c.inputs) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const construct = (type: string, inputs: Record<string, unknown>) =>
  plugin.construct("mig", `es-migrate:index:${type}`, inputs, {});

const domain = {
  securityGroupIds: ["sg-dom-a", "sg-dom-b"],
  domainName: "logs",
  endpoint: "vpc-logs-abc.eu-west-1.es.amazonaws.com",
  engineVersion: "OpenSearch_2.11",
};

describe("AwsReindexAccess served by the plugin", () => {
  it.each([
    [
      "a source by address in a VPC",
      { host: "10.0.3.7", port: 9200, securityGroupId: "sg-src", engineVersion: "7.10.2" },
    ],
    ["another domain", { domain: { domainName: "old-logs", engineVersion: "Elasticsearch_7.10" } }],
  ])("registers the TypeScript class's children with the same inputs, for %s", async (_, source) => {
    const fromTypeScript = await children(() => new aws.AwsReindexAccess("mig", { domain, source }));
    const served = await children(() => construct("AwsReindexAccess", { domain, source }));
    expect(fromTypeScript.length).toBeGreaterThan(0);
    expect(served).toEqual(fromTypeScript);
  });

  it("hands back the class's outputs, and the outbound connection's id for a domain source", async () => {
    const source = { domain: { domainName: "old-logs", engineVersion: "Elasticsearch_7.10" } };
    const { state } = await construct("AwsReindexAccess", { domain, source });
    const value = (k: string) => outputValue(state[k] as pulumi.Output<unknown>);
    expect(await value("remoteHost")).toBe("https://vpce-0abc-src.es.eu-west-1.vpce.amazonaws.com:443");
    expect(await value("connection")).toEqual({
      url: "https://vpc-logs-abc.eu-west-1.es.amazonaws.com:443",
      aws: { region: "eu-west-1", service: "es" },
    });
    expect(await value("outboundConnectionId")).toBe("mig-connection-id");
  });

  it("refuses a source that is both an address and a domain, naming the fields", async () => {
    const source = { host: "10.0.3.7", port: 9200, domain: { domainName: "old", engineVersion: "OpenSearch_2.11" } };
    await expect(construct("AwsReindexAccess", { domain, source })).rejects.toThrow(
      "AwsReindexAccess mig: source takes an address (host, port, ...) or another domain (domain, connectionAlias), not both: it has source.host, source.port, source.domain",
    );
    expect(created).toEqual([]);
  });

  it("fails with the class's own error for a version the rules refuse", async () => {
    const source = { host: "10.0.3.7", port: 9200, engineVersion: "8.12.0" };
    const message = await construct("AwsReindexAccess", { domain, source }).catch((e: Error) => e.message);
    expect(message).toBe(
      (() => {
        try {
          new aws.AwsReindexAccess("mig", { domain, source });
          return "no error";
        } catch (e) {
          return (e as Error).message;
        }
      })(),
    );
    expect(message).toMatch(/^AwsReindexAccess mig: /);
  });
});

describe("AlicloudReindexAccess served by the plugin", () => {
  const source = {
    vpcId: "vpc-1",
    vswitchId: "vsw-src",
    zoneId: "cn-hangzhou-i",
    securityGroupId: "sg-src",
    instanceIds: ["i-1", "i-2"],
    privateIps: ["192.168.0.11", "192.168.0.12"],
  };

  it.each([
    ["v2", { architecture: "v2", source, destination: { instanceId: "es-cn-old", cidr: "192.168.10.0/24" } }],
    ["v3", { architecture: "v3", source, destination: { instanceId: "es-cn-new" }, api: { region: "cn-hangzhou" } }],
  ] as const)(
    "registers the TypeScript class's children with the same inputs (%s), its endpoint served by the plugin",
    async (architecture, args) => {
      const fromTypeScript = await children(() => new alicloud.AlicloudReindexAccess("mig", args));
      const served = await children(() => construct("AlicloudReindexAccess", args));
      expect(served).toEqual(fromTypeScript);
      if (architecture === "v3")
        expect(served.map((c) => c.type)).toContain("es-migrate:index:ElasticsearchVpcEndpoint");
    },
  );

  it("takes an argument the engine sends whole as a secret, and keeps its fields secret in the children", async () => {
    const v3 = { architecture: "v3", source, destination: { instanceId: "es-cn-new" } } as const;
    const api = { region: "cn-hangzhou", accessKeySecret: "s3cret" };
    const fromTypeScript = await children(() => new alicloud.AlicloudReindexAccess("mig", { ...v3, api }));
    const served = await children(() => construct("AlicloudReindexAccess", { ...v3, api: pulumi.secret(api) }));
    expect(served).toEqual(fromTypeScript);
    const endpoint = created.find((c) => c.type.endsWith(":ElasticsearchVpcEndpoint"))!;
    expect(isSecret(endpoint.inputs.accessKeySecret)).toBe(true);
  });

  it("hands back the whitelist and the remote host", async () => {
    const args = { architecture: "v2", source, destination: { instanceId: "es-cn-old", cidr: "192.168.10.0/24" } };
    const { state } = await construct("AlicloudReindexAccess", args);
    expect(await outputValue(state.remoteHost as pulumi.Output<string>)).toBe("http://192.168.0.11:9200");
    expect(await outputValue(state.whitelistEntries as pulumi.Output<string[]>)).toEqual([
      "192.168.0.11:9200",
      "192.168.0.12:9200",
    ]);
  });
});

describe("a cloud SDK the plugin cannot load", () => {
  it("is not loaded by the plugin until a cloud access component is built", () => {
    // A process of its own: this one loaded both SDKs above. It loads what the plugin's entry loads, schema included.
    const script = `
      require("./plugin/served-resources");
      require("./plugin/components");
      require("./plugin/custom-resources");
      require("./plugin/schema").packageSchema("es-migrate", "0.0.0");
      const cloud = Object.keys(require.cache).filter((f) => /node_modules\\/@pulumi\\/(aws|alicloud)\\//.test(f));
      process.stdout.write(JSON.stringify(cloud));`;
    const out = execFileSync(process.execPath, ["--import", "tsx", "-e", script], {
      cwd: path.resolve(__dirname, "../.."),
      encoding: "utf8",
    });
    expect(JSON.parse(out)).toEqual([]);
  });

  it("fails naming the package and the folder to install it in", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "plugin-root-"));
    try {
      expect(() => cloud.requireCloudSdk("AwsReindexAccess", ["@pulumi/aws"], root)).toThrow(
        `AwsReindexAccess needs @pulumi/aws, not installed where the es-migrate plugin runs (${root}). Install it beside the plugin, not in your program: npm install --prefix ${root} @pulumi/aws`,
      );
    } finally {
      await fs.rm(root, { recursive: true });
    }
  });

  it("names the folder whose node_modules hold the plugin's package, where npm installs beside it", async () => {
    const prefix = await fs.mkdtemp(path.join(os.tmpdir(), "plugin-prefix-"));
    const root = path.join(prefix, "node_modules", "pulumi-es-migrate");
    await fs.mkdir(root, { recursive: true });
    try {
      expect(() => cloud.requireCloudSdk("AlicloudReindexAccess", ["@pulumi/alicloud"], root)).toThrow(
        `npm install --prefix ${prefix} @pulumi/alicloud`,
      );
    } finally {
      await fs.rm(prefix, { recursive: true });
    }
  });
});
