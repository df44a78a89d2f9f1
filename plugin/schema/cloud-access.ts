// The schema of the cloud access components (AwsReindexAccess, AlicloudReindexAccess). Their args are TypeScript
// interfaces checked by the components' plans (components/aws/plan.ts, components/alicloud/plan.ts), not zod
// schemas, so their descriptions are written here from the interfaces' doc comments. AwsReindexAccess's source,
// a union in TypeScript, is one object: an address (host, port, ...) or another domain (domain, connectionAlias).
import type { ObjectTypeSpec, PropertySpec, ResourceSpec } from "./from-zod";

const str = (description: string): PropertySpec => ({ type: "string", description });
const bool = (description: string): PropertySpec => ({ type: "boolean", description });
const int = (description: string): PropertySpec => ({ type: "integer", description });
const strings = (description: string): PropertySpec => ({ type: "array", items: { type: "string" }, description });

/** The cloud access components and their types, for `resources` and `types` of the package schema. */
export function cloudAccessSchema(
  token: (name: string) => string,
  connection: PropertySpec,
): { resources: Record<string, ResourceSpec>; types: Record<string, ObjectTypeSpec> } {
  const ref = (type: string, description: string): PropertySpec => ({ $ref: `#/types/${token(type)}`, description });
  const types: Record<string, ObjectTypeSpec> = {
    AwsDomain: {
      type: "object",
      description: "The destination Amazon OpenSearch Service domain, which runs the remote reindex.",
      properties: {
        securityGroupIds: strings(
          "Security groups of the domain's VPC endpoints (`vpcOptions.securityGroupIds`); the source admits each. Give these or domainName (looked up); for a public domain leave both out of address sources without securityGroupId.",
        ),
        domainName: str(
          "Domain name. Used for the outbound connection (domain-to-domain) and to look up the security groups when securityGroupIds is not set.",
        ),
        endpoint: str('Domain endpoint host, e.g. "vpc-logs-abc.eu-west-1.es.amazonaws.com".'),
        engineVersion: str(
          'Engine version as AWS writes it, e.g. "OpenSearch_2.11" or "Elasticsearch_7.10": the version rules are checked at preview.',
        ),
        region: str("Region of the domain. Default: the AWS provider's region."),
        ownerId: str("Account that owns the domain (for the outbound connection). Default: the caller's account."),
      },
      required: ["endpoint", "engineVersion"],
    },
    AwsReindexSource: {
      type: "object",
      description:
        "Where the data comes from: a cluster reached by address (host and port: self-managed, or a proxy), or another domain (domain) through an outbound connection. One kind only.",
      properties: {
        host: str(
          '(address) Host name or URL of the source as the domain sees it, e.g. "https://es-proxy.example.com".',
        ),
        port: int("(address) Port of the source, always written into the remote host; 443 for https proxies."),
        securityGroupId: str(
          "(address) Security group of the source: it gets one ingress rule per domain security group. Omit for a source outside AWS.",
        ),
        external: bool(
          "(address) The source is not an Amazon OpenSearch Service domain: AWS then requires https, basic auth and a public-CA certificate. Default false.",
        ),
        region: str("(address) Region of the source when it is a domain in another region. Default: the same region."),
        engineVersion: str(
          '(address) Source engine version ("7.10.2", "OpenSearch_1.3"), checked at preview. Default: not checked here (Reindex checks it when it runs).',
        ),
        domain: ref("AwsSourceDomain", "(domain) Another domain as the source, through an outbound connection."),
        connectionAlias: str("(domain) Alias of the outbound connection. Default: derived from the component name."),
      },
    },
    AwsSourceDomain: {
      type: "object",
      description: "Another Amazon OpenSearch Service domain as the source.",
      properties: {
        domainName: str("Name of the source domain."),
        region: str("Region of the source domain. Default: the destination's region."),
        ownerId: str("Account that owns the source domain. Default: the caller's account."),
        engineVersion: str('Engine version of the source domain, e.g. "Elasticsearch_7.10". Checked at preview.'),
      },
      required: ["domainName", "engineVersion"],
    },
    AwsRemoteOptions: {
      type: "object",
      description: "The AWS-only `remote` fields of Reindex's source.",
      properties: {
        external: bool("The source is not an AWS domain (basic auth only, public-CA certificate)."),
        region: str("The source domain's region, when it is not the destination's."),
      },
    },
    AlicloudSource: {
      type: "object",
      description: "The self-managed source cluster on ECS.",
      properties: {
        vpcId: str("VPC of the source ECS instances (v2: the destination's vSwitch must be in it)."),
        vswitchId: str("vSwitch of the source ECS instances. v3 puts the CLB in it unless clb.vswitchId is set."),
        zoneId: str(
          'Zone of the source ECS instances, e.g. "cn-hangzhou-i". When set, v3 checks at preview that the CLB and the endpoint are in the same zone.',
        ),
        securityGroupId: str(
          "Security group of the source ECS instances: the rule admitting the reindex traffic goes here.",
        ),
        instanceIds: strings("ECS instances running the source nodes. v3 puts them behind the CLB. Must not be empty."),
        privateIps: strings(
          "v2: private IPs of the source nodes (IP, IP:port or http://IP:port). Default: looked up from instanceIds. Unused by v3.",
        ),
        port: int("HTTP port of the source nodes. Default 9200. In v3 the CLB still listens on 9200."),
      },
      required: ["vpcId", "vswitchId", "securityGroupId", "instanceIds"],
    },
    AlicloudDestination: {
      type: "object",
      description: "The Alibaba Cloud Elasticsearch instance that pulls the data.",
      properties: {
        instanceId: str("The Alibaba Cloud Elasticsearch instance (the destination)."),
        cidr: str("v2: CIDR of the instance's vSwitch, admitted on the source port. Default: the CIDR of vswitchId."),
        vswitchId: str("v2: the instance's vSwitch (its CIDR is looked up). Default: the instance's own vSwitch."),
        zoneId: str("v3: zone of the instance's endpoint. Default: the CLB's zone. Must equal it when set."),
      },
      required: ["instanceId"],
    },
    AlicloudClb: {
      type: "object",
      description: "v3: the intranet CLB in front of the source nodes.",
      properties: {
        vswitchId: str("vSwitch of the CLB. Default: source.vswitchId (the CLB must be in the source's zone)."),
        zoneId: str(
          "Zone of vswitchId when it is not the source's: checked against the source's and endpoint's zones.",
        ),
        loadBalancerSpec: str(
          'CLB specification. Default "slb.s2.small" (PrivateLink needs a performance-guaranteed CLB).',
        ),
        trafficCidr: str(
          'Source range of the CLB\'s traffic as the ECS instances see it, admitted by the rule. Default "100.64.0.0/10".',
        ),
      },
    },
    AlicloudEndpointService: {
      type: "object",
      description: "v3: the PrivateLink endpoint service in front of the CLB.",
      properties: {
        autoAcceptConnection: bool(
          "Accept the Elasticsearch service's endpoint connection without a manual step. Default true.",
        ),
        allowedUserIds: strings("Alibaba Cloud account IDs allowed to connect. Default none."),
        description: str(
          "Description of the endpoint service. Default: says it carries remote reindex for the instance.",
        ),
      },
    },
    AlicloudApi: {
      type: "object",
      description: "Elasticsearch API access for the v3 endpoint and updateInstanceYml. Credentials are kept secret.",
      properties: {
        region: str(
          'Region of the instance, e.g. "cn-hangzhou". Default: the alicloud:region config, then ALIBABA_CLOUD_REGION_ID.',
        ),
        accessKeyId: {
          ...str("AccessKey ID. Default: ALIBABA_CLOUD_ACCESS_KEY_ID of the process running pulumi."),
          secret: true,
        },
        accessKeySecret: { ...str("AccessKey secret. Default: ALIBABA_CLOUD_ACCESS_KEY_SECRET."), secret: true },
        securityToken: {
          ...str("STS token for temporary credentials. Default: ALIBABA_CLOUD_SECURITY_TOKEN."),
          secret: true,
        },
        apiEndpoint: str("API endpoint host[:port] instead of the regional one. Default: derived from region."),
        apiProtocol: str('"HTTPS" (default) or "HTTP" (only for a local stand-in).'),
      },
    },
  };
  const aws: ResourceSpec = {
    isComponent: true,
    description:
      "The network path and the reindex options for remote reindex into an Amazon OpenSearch Service domain: " +
      "security-group ingress on the source for the domain's security groups, or an outbound connection for a " +
      "domain-to-domain copy. Feed remoteHost and remote to Reindex's source, connection as its destination. Needs " +
      "@pulumi/aws installed beside the plugin.",
    inputProperties: {
      domain: ref("AwsDomain", "The destination domain, which runs the remote reindex."),
      source: ref("AwsReindexSource", "Where the data comes from: an address, or another domain."),
    },
    requiredInputs: ["domain", "source"],
    properties: {
      remoteHost: str('source.remote.host for Reindex, with its explicit port (":443" for https).'),
      remote: ref(
        "AwsRemoteOptions",
        "The AWS-only remote fields (external, region) for Reindex; empty when none applies.",
      ),
      connection: { ...connection, description: "The destination domain: its https URL, signed with SigV4." },
      outboundConnectionId: str(
        "The outbound connection's id (domain sources): the source domain's owner accepts it (aws.opensearch.InboundConnectionAccepter).",
      ),
    },
    required: ["remoteHost", "remote", "connection"],
  };
  const alicloud: ResourceSpec = {
    isComponent: true,
    description:
      "The network path and whitelist for remote reindex from self-managed Elasticsearch on ECS into Alibaba Cloud " +
      "Elasticsearch: v2 (a security-group rule) or v3 (CLB, PrivateLink endpoint service and the instance's " +
      "endpoint), and the reindex.remote.whitelist entries. Needs @pulumi/alicloud and " +
      "@alicloud/elasticsearch20170613 installed beside the plugin.",
    inputProperties: {
      architecture: str(
        'Network architecture of the destination instance: "v2" (created before October 2020) or "v3" (cloud-native control, PrivateLink only). One of "v2", "v3".',
      ),
      source: ref("AlicloudSource", "The self-managed source cluster on ECS."),
      destination: ref("AlicloudDestination", "The Alibaba Cloud Elasticsearch instance that pulls the data."),
      clb: ref("AlicloudClb", "v3 only: the intranet CLB in front of the source nodes. Defaults suit most programs."),
      endpointService: ref("AlicloudEndpointService", "v3 only: the PrivateLink endpoint service in front of the CLB."),
      api: ref(
        "AlicloudApi",
        "Elasticsearch API access (region, credentials) for the v3 endpoint and updateInstanceYml.",
      ),
      updateInstanceYml: bool(
        "Write the whitelist into the instance YML through the API (for an instance managed outside this program). Default false. Each change RESTARTS the instance.",
      ),
    },
    requiredInputs: ["architecture", "source", "destination"],
    properties: {
      remoteHost: str(
        'The URL the destination uses as source.remote.host, e.g. "http://10.0.0.5:9200" (v2) or the endpoint (v3).',
      ),
      whitelistEntries: strings("host:port entries for reindex.remote.whitelist."),
      yml: str('The whitelist as a line of YML, for the console ("Other Configurations").'),
      settingConfig: {
        type: "object",
        additionalProperties: { type: "string" },
        description: "The whitelist as an alicloud.elasticsearch.Instance settingConfig fragment.",
      },
    },
    required: ["remoteHost", "whitelistEntries", "yml", "settingConfig"],
  };
  return {
    resources: { [token("AwsReindexAccess")]: aws, [token("AlicloudReindexAccess")]: alicloud },
    types: Object.fromEntries(Object.entries(types).map(([name, spec]) => [token(name), spec])),
  };
}
