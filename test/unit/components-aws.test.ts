// AwsReindexAccess under Pulumi mocks: ingress rules per domain security group, the outbound connection for
// domain-to-domain copies, and the outputs (remote host with explicit port, `remote` options, SigV4 connection).
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { outputValue as value, setPulumiMocks, settle } from "../helpers/pulumi-mocks";

interface Created {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

const created: Created[] = [];
const invokes: string[] = [];

setPulumiMocks({
  newResource(args) {
    created.push({ type: args.type, name: args.name, inputs: args.inputs });
    const state: Record<string, any> = { ...args.inputs };
    if (args.type === "aws:opensearch/outboundConnection:OutboundConnection") {
      state.connectionProperties = { endpoint: "vpce-0abc-src.es.eu-west-1.vpce.amazonaws.com" };
      state.connectionStatus = "ACTIVE";
    }
    return { id: `${args.name}-id`, state };
  },
  call(args) {
    invokes.push(args.token);
    if (args.token === "aws:index/getRegion:getRegion")
      return { name: "eu-west-1", region: "eu-west-1", id: "eu-west-1" };
    if (args.token === "aws:index/getCallerIdentity:getCallerIdentity")
      return { accountId: "111122223333", arn: "arn", userId: "u", id: "111122223333" };
    if (args.token === "aws:opensearch/getDomain:getDomain") {
      return {
        domainName: args.inputs.domainName,
        vpcOptions: [
          { securityGroupIds: ["sg-dom-a", "sg-dom-b"], subnetIds: [], availabilityZones: [], vpcId: "vpc-1" },
        ],
      };
    }
    return {};
  },
});

type Mod = typeof import("../../components/aws");
let mod: Mod;
beforeAll(async () => {
  mod = await import("../../components/aws/index.js");
});
beforeEach(() => {
  created.length = 0;
  invokes.length = 0;
});

const rules = () => created.filter((c) => c.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");

const domain = {
  securityGroupIds: ["sg-dom-a", "sg-dom-b"],
  domainName: "logs",
  endpoint: "vpc-logs-abc.eu-west-1.es.amazonaws.com",
  engineVersion: "OpenSearch_2.11",
};

describe("AwsReindexAccess, source by address", () => {
  it("admits each domain security group on the source port, with descriptions", async () => {
    const access = new mod.AwsReindexAccess("mig", {
      domain,
      source: { host: "10.0.3.7", port: 9200, securityGroupId: "sg-src", engineVersion: "7.10.2" },
    });
    expect(await value(access.remoteHost)).toBe("http://10.0.3.7:9200");
    expect(await value(access.remote)).toEqual({});
    await settle();
    expect(rules().map((r) => r.name)).toEqual(["mig-ingress-0", "mig-ingress-1"]);
    expect(rules().map((r) => r.inputs)).toEqual([
      {
        securityGroupId: "sg-src",
        referencedSecurityGroupId: "sg-dom-a",
        ipProtocol: "tcp",
        fromPort: 9200,
        toPort: 9200,
        description: "OpenSearch domain logs (sg-dom-a) to source port 9200 for remote reindex",
      },
      {
        securityGroupId: "sg-src",
        referencedSecurityGroupId: "sg-dom-b",
        ipProtocol: "tcp",
        fromPort: 9200,
        toPort: 9200,
        description: "OpenSearch domain logs (sg-dom-b) to source port 9200 for remote reindex",
      },
    ]);
    const urns = await Promise.all((await value(access.ingressRules)).map((r) => value(r.urn)));
    for (const u of urns) expect(u).toContain("pulumi-es-migrate:aws:ReindexAccess$aws:vpc/securityGroupIngressRule");
    expect(created.some((c) => c.type.includes("OutboundConnection"))).toBe(false);
  });

  it("gives an external https source its explicit :443 and external: true, and the SigV4 destination connection", async () => {
    const access = new mod.AwsReindexAccess("mig", {
      domain: { ...domain, securityGroupIds: undefined, domainName: undefined },
      source: { host: "https://es-proxy.example.com", port: 443, external: true },
    });
    expect(await value(access.remoteHost)).toBe("https://es-proxy.example.com:443");
    expect(await value(access.remote)).toEqual({ external: true });
    expect(await value(access.connection)).toEqual({
      url: "https://vpc-logs-abc.eu-west-1.es.amazonaws.com:443",
      aws: { region: "eu-west-1", service: "es" },
    });
    await settle();
    expect(rules()).toHaveLength(0);
  });

  it("looks the domain's security groups up by name when they are not given", async () => {
    new mod.AwsReindexAccess("mig", {
      domain: { ...domain, securityGroupIds: undefined },
      source: { host: "10.0.3.7", port: 9200, securityGroupId: "sg-src" },
    });
    await settle();
    await settle();
    expect(invokes).toContain("aws:opensearch/getDomain:getDomain");
    expect(rules().map((r) => r.inputs.referencedSecurityGroupId)).toEqual(["sg-dom-a", "sg-dom-b"]);
  });

  it("passes region for a source domain in another region", async () => {
    const access = new mod.AwsReindexAccess("mig", {
      domain: { ...domain, region: "eu-west-1" },
      source: { host: "search-src.us-east-1.es.amazonaws.com", port: 443, region: "us-east-1" },
    });
    expect(await value(access.remote)).toEqual({ region: "us-east-1" });
    expect(await value(access.remoteHost)).toBe("https://search-src.us-east-1.es.amazonaws.com:443");
  });

  it.each([
    [
      { domain: { ...domain, engineVersion: "Elasticsearch_6.5" }, source: { host: "10.0.0.1", port: 9200 } },
      /needs 6\.7 or newer/,
    ],
    [{ domain, source: { host: "10.0.0.1", port: 9200, engineVersion: "8.11.0" } }, /Elasticsearch 8\+ sources/],
    [
      {
        domain: { ...domain, engineVersion: "Elasticsearch_6.8" },
        source: { host: "10.0.0.1", port: 9200, engineVersion: "7.10.2" },
      },
      /major version must be lower/,
    ],
    [
      { domain, source: { host: "http://es.example.com", port: 80, external: true } },
      /external sources must be reached over https/,
    ],
    [
      {
        domain: { ...domain, securityGroupIds: undefined, domainName: undefined },
        source: { host: "10.0.0.1", port: 9200, securityGroupId: "sg-src" },
      },
      /give domain.securityGroupIds or domain.domainName/,
    ],
    [
      {
        domain: { ...domain, securityGroupIds: [] },
        source: { host: "10.0.0.1", port: 9200, securityGroupId: "sg-src" },
      },
      /domain.securityGroupIds is empty/,
    ],
  ])("refuses %j", (args, message) => {
    expect(
      () => new mod.AwsReindexAccess("bad", args as ConstructorParameters<typeof mod.AwsReindexAccess>[1]),
    ).toThrow(message);
  });
});

describe("AwsReindexAccess, domain to domain", () => {
  it("creates a VPC_ENDPOINT outbound connection from the destination to the source and uses its endpoint", async () => {
    const access = new mod.AwsReindexAccess("mig", {
      domain,
      source: { domain: { domainName: "old-logs", engineVersion: "Elasticsearch_7.10" } },
    });
    expect(await value(access.remoteHost)).toBe("https://vpce-0abc-src.es.eu-west-1.vpce.amazonaws.com:443");
    expect(await value(access.remote)).toEqual({});
    await settle();
    const conns = created.filter((c) => c.type === "aws:opensearch/outboundConnection:OutboundConnection");
    expect(conns.map((c) => c.name)).toEqual(["mig-connection"]);
    expect(conns[0]!.inputs).toEqual({
      connectionAlias: "mig",
      connectionMode: "VPC_ENDPOINT",
      acceptConnection: true,
      localDomainInfo: { domainName: "logs", ownerId: "111122223333", region: "eu-west-1" },
      remoteDomainInfo: { domainName: "old-logs", ownerId: "111122223333", region: "eu-west-1" },
    });
    expect(await value(access.outboundConnection!.urn)).toContain(
      "pulumi-es-migrate:aws:ReindexAccess$aws:opensearch/outboundConnection",
    );
    expect(rules()).toHaveLength(0);
  });

  it("refuses a source domain newer than the destination", () => {
    expect(
      () =>
        new mod.AwsReindexAccess("bad", {
          domain: { ...domain, engineVersion: "OpenSearch_1.3" },
          source: { domain: { domainName: "new", engineVersion: "OpenSearch_2.11" } },
        }),
    ).toThrow(/OpenSearch 2\.11 -> OpenSearch 1\.3/);
  });
});
