// The network path from an Alibaba Cloud Elasticsearch instance to a self-managed source on ECS, for remote
// reindex: v2 (a security-group rule) or v3 (CLB + PrivateLink endpoint service + the instance's endpoint), and the
// `reindex.remote.whitelist` entries for the instance YML. Decisions live in ./plan; this file only wires resources.
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import type { AlibabaApiArgs } from "../../provider/alicloud/api-client";
import { ElasticsearchInstanceWhitelist } from "./instance-whitelist";
import {
  type Architecture,
  DEFAULT_CLB_TRAFFIC_CIDR,
  DEFAULT_PORT,
  WHITELIST_KEY,
  parseSourceAddress,
  planSecurityGroupRule,
  planV2DestinationVswitch,
  planV2PrivateIps,
  planV2RemoteHost,
  planV2WhitelistEntries,
  planV3RemoteHost,
  planV3WhitelistEntries,
  validateAccessShape,
  whitelistYml,
} from "./plan";
import { ElasticsearchVpcEndpoint } from "./vpc-endpoint";

export interface AlicloudSourceArgs {
  /** VPC of the source ECS instances. Used to check that `destination.vswitchId` (v2) is in the same VPC. */
  vpcId: pulumi.Input<string>;
  /** vSwitch of the source ECS instances. v3 puts the CLB in it unless `clb.vswitchId` is set. */
  vswitchId: pulumi.Input<string>;
  /**
   * Zone of the source ECS instances, e.g. "cn-hangzhou-i". Optional; when set, v3 checks at preview that the CLB
   * and the Elasticsearch endpoint are in the same zone, and uses it as the endpoint's zone.
   */
  zoneId?: string;
  /** Security group of the source ECS instances: the rule admitting the remote-reindex traffic goes here. */
  securityGroupId: pulumi.Input<string>;
  /** ECS instances running the source Elasticsearch nodes. v3 puts them behind the CLB. Must not be empty. */
  instanceIds: pulumi.Input<string>[];
  /**
   * Private IPs of the source nodes (bare IPs, `IP:port`, or `http://IP:port` without a path). v2 whitelists each
   * `IP:port` and the destination connects to the first. Default (v2): the private IPs of `instanceIds`, looked up
   * with `alicloud.ecs.getInstances` (the instances must be in this program's account and region). Set it to
   * override the look-up, e.g. with `instance.privateIp` of ECS instances declared in the program. Unused by v3.
   */
  privateIps?: pulumi.Input<string>[];
  /**
   * HTTP port of the source Elasticsearch nodes. Default 9200. Set it only when the source listens elsewhere; a
   * private IP with another port is refused unless this says so. In v3 the CLB still listens on 9200.
   */
  port?: number;
}

export interface AlicloudDestinationArgs {
  /** The Alibaba Cloud Elasticsearch instance that runs the remote reindex (the destination). */
  instanceId: pulumi.Input<string>;
  /**
   * v2 only: CIDR of the vSwitch the Elasticsearch nodes are in; the source security group admits it on the source
   * port. Default: the CIDR of `vswitchId`.
   */
  cidr?: pulumi.Input<string>;
  /**
   * v2 only: the Elasticsearch instance's vSwitch; its CIDR is looked up (within `source.vpcId`) when `cidr` is not
   * set. Default: the instance's own vSwitch, from `alicloud.elasticsearch.getInstances`.
   */
  vswitchId?: pulumi.Input<string>;
  /** v3: zone of the Elasticsearch instance's endpoint. Default: the CLB's zone. Must equal it when set. */
  zoneId?: string;
}

export interface AlicloudClbArgs {
  /** vSwitch of the intranet CLB. Default: `source.vswitchId` (the CLB must be in the source's zone). */
  vswitchId?: pulumi.Input<string>;
  /** Zone of `vswitchId`, when it is not the source's vSwitch: checked against the source's and endpoint's zones. */
  zoneId?: string;
  /** CLB specification. Default "slb.s2.small" (PrivateLink needs a performance-guaranteed intranet CLB). */
  loadBalancerSpec?: pulumi.Input<string>;
  /**
   * Source range of the CLB's traffic as the ECS instances see it, admitted by the security-group rule.
   * Default "100.64.0.0/10", the range Alibaba's load balancers use towards backends and for health checks. Set it
   * if your flow logs show another range.
   */
  trafficCidr?: pulumi.Input<string>;
}

export interface AlicloudEndpointServiceArgs {
  /**
   * Accept the Elasticsearch service's endpoint connection without a manual step. Default true: the endpoint is
   * created by the Elasticsearch service's own account, which the program cannot name.
   */
  autoAcceptConnection?: boolean;
  /**
   * Alibaba Cloud account IDs allowed to connect (one `VpcEndpointServiceUser` each). Default none. Set only with
   * an account ID you got from Alibaba Cloud (e.g. support or the console's whitelist prompt); none is guessed here.
   */
  allowedUserIds?: pulumi.Input<string>[];
  /** Description of the endpoint service. Default: says it carries remote reindex for the instance. */
  description?: pulumi.Input<string>;
}

export interface AlicloudReindexAccessArgs {
  /**
   * Network architecture of the destination instance: "v2" (created before October 2020: reaches the user's VPC
   * directly) or "v3" (cloud-native control: reaches it only through PrivateLink). See the instance's console page.
   * v2 and v3 instances cannot reindex from each other directly.
   */
  architecture: Architecture;
  /** The self-managed source cluster on ECS. */
  source: AlicloudSourceArgs;
  /** The Alibaba Cloud Elasticsearch instance that pulls the data. */
  destination: AlicloudDestinationArgs;
  /** v3 only: the intranet CLB in front of the source nodes. Defaults suit most programs. */
  clb?: AlicloudClbArgs;
  /** v3 only: the PrivateLink endpoint service in front of the CLB. */
  endpointService?: AlicloudEndpointServiceArgs;
  /**
   * Elasticsearch API access (region, credentials) for the dynamic resources: the v3 endpoint and
   * `updateInstanceYml`. Region default: the `alicloud:region` config, then `ALIBABA_CLOUD_REGION_ID`.
   */
  api?: Partial<AlibabaApiArgs>;
  /**
   * Write the whitelist into the instance YML through the API (for an instance managed outside this program).
   * Default false: merge `settingConfig` into your `alicloud.elasticsearch.Instance` with `mergeReindexWhitelist`
   * instead. Each change RESTARTS the instance.
   */
  updateInstanceYml?: boolean;
}

/**
 * The network path and whitelist for remote reindex from self-managed Elasticsearch on ECS into Alibaba Cloud
 * Elasticsearch. Outputs what the Reindex resource and the instance YML need.
 */
export class AlicloudReindexAccess extends pulumi.ComponentResource {
  /** The URL the destination uses as `source.remote.host`, e.g. "http://10.0.0.5:9200" (v2) or the endpoint (v3). */
  public readonly remoteHost: pulumi.Output<string>;
  /** `host:port` entries for `reindex.remote.whitelist`. */
  public readonly whitelistEntries: pulumi.Output<string[]>;
  /** The whitelist as a line of YML, for the console ("Other Configurations"). */
  public readonly yml: pulumi.Output<string>;
  /** The whitelist as an `alicloud.elasticsearch.Instance.settingConfig` fragment; merge with `mergeReindexWhitelist`. */
  public readonly settingConfig: pulumi.Output<Record<string, string>>;
  /** The rule on the source security group. */
  public readonly securityGroupRule: alicloud.ecs.SecurityGroupRule;
  /** v3: the intranet CLB in front of the source nodes. */
  public readonly loadBalancer?: alicloud.slb.ApplicationLoadBalancer;
  /** v3: the PrivateLink endpoint service backed by the CLB. */
  public readonly endpointService?: alicloud.privatelink.VpcEndpointService;
  /** v3: the Elasticsearch instance's endpoint to that service. */
  public readonly vpcEndpoint?: ElasticsearchVpcEndpoint;
  /** With `updateInstanceYml`: the resource that writes the whitelist into the instance YML. */
  public readonly instanceWhitelist?: ElasticsearchInstanceWhitelist;

  constructor(name: string, args: AlicloudReindexAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pulumi-es-migrate:alicloud:ReindexAccess", name, {}, opts);
    const region =
      args.api?.region ?? new pulumi.Config("alicloud").get("region") ?? process.env.ALIBABA_CLOUD_REGION_ID;
    validateArgs(args, typeof region === "string" ? region : undefined);
    const port = args.source.port ?? DEFAULT_PORT;

    let entries: pulumi.Output<string[]>;
    if (args.architecture === "v2") {
      const ips = sourcePrivateIps(args, this);
      entries = ips.apply((list) => planV2WhitelistEntries(list, args.source.port));
      this.remoteHost = ips.apply((list) => planV2RemoteHost(list, args.source.port));
      this.securityGroupRule = createSecurityGroupRule(
        name,
        "v2",
        args.source.securityGroupId,
        port,
        destinationCidr(name, args, this),
        this,
      );
    } else {
      if (region === undefined) {
        throw new Error(
          `${name}: v3 needs the region of the Elasticsearch instance: set api.region or the alicloud:region config`,
        );
      }
      const v3 = createV3(name, args, port, region, this);
      this.loadBalancer = v3.loadBalancer;
      this.endpointService = v3.endpointService;
      this.vpcEndpoint = v3.vpcEndpoint;
      this.securityGroupRule = v3.securityGroupRule;
      entries = v3.vpcEndpoint.endpointDomain.apply(planV3WhitelistEntries);
      this.remoteHost = v3.vpcEndpoint.endpointDomain.apply(planV3RemoteHost);
    }
    this.whitelistEntries = entries;
    this.yml = entries.apply(whitelistYml);
    this.settingConfig = entries.apply((e): Record<string, string> => ({ [WHITELIST_KEY]: [...new Set(e)].join(",") }));

    if (args.updateInstanceYml) {
      if (region === undefined) {
        throw new Error(
          `${name}: updateInstanceYml needs the region of the Elasticsearch instance: set api.region or the alicloud:region config`,
        );
      }
      this.instanceWhitelist = createInstanceWhitelist(name, args, region, entries, this);
    }

    this.registerOutputs({
      remoteHost: this.remoteHost,
      whitelistEntries: this.whitelistEntries,
      yml: this.yml,
      settingConfig: this.settingConfig,
    });
  }
}

/** Runs the preview-time checks on the plain parts of the arguments; throws one error listing every problem. */
function validateArgs(args: AlicloudReindexAccessArgs, region: string | undefined): void {
  const errors = validateAccessShape({
    architecture: args.architecture,
    sourceZoneId: args.source.zoneId,
    sourcePort: args.source.port,
    instanceIdCount: args.source.instanceIds?.length ?? 0,
    privateIpCount: args.source.privateIps?.length,
    destinationCidrGiven: args.destination.cidr !== undefined,
    destinationVswitchGiven: args.destination.vswitchId !== undefined,
    destinationZoneId: args.destination.zoneId,
    endpointServiceGiven: args.endpointService !== undefined,
    clbGiven: args.clb !== undefined,
    clbZoneId: args.clb?.zoneId,
    region,
  });
  // Addresses given as plain strings are checked now; Outputs are checked when they resolve.
  for (const ip of args.source.privateIps ?? []) {
    if (typeof ip !== "string") continue;
    try {
      parseSourceAddress(ip, args.source.port);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length > 0) throw new Error(`AlicloudReindexAccess: ${errors.join("; ")}`);
}

/** v2: the source nodes' private IPs, given or looked up from the ECS instances. */
function sourcePrivateIps(args: AlicloudReindexAccessArgs, parent: pulumi.Resource): pulumi.Output<string[]> {
  if (args.source.privateIps !== undefined) return pulumi.all(args.source.privateIps);
  const ids = pulumi.all(args.source.instanceIds);
  const found = alicloud.ecs.getInstancesOutput({ ids }, { parent });
  return pulumi.all([ids, found]).apply(([list, res]) => planV2PrivateIps(list, res.instances));
}

/** v2: the ES nodes' vSwitch, given or read from the Elasticsearch instance. */
function destinationVswitch(args: AlicloudReindexAccessArgs, parent: pulumi.Resource): pulumi.Input<string> {
  if (args.destination.vswitchId !== undefined) return args.destination.vswitchId;
  const id = pulumi.output(args.destination.instanceId);
  const found = alicloud.elasticsearch.getInstancesOutput({ ids: [id] }, { parent });
  return pulumi.all([id, found]).apply(([instanceId, res]) => planV2DestinationVswitch(instanceId, res.instances));
}

/** v2: the ES nodes' CIDR, given or looked up from their vSwitch inside the source VPC. */
function destinationCidr(name: string, args: AlicloudReindexAccessArgs, parent: pulumi.Resource): pulumi.Input<string> {
  if (args.destination.cidr !== undefined) return args.destination.cidr;
  const vswitchId = destinationVswitch(args, parent);
  const found = alicloud.vpc.getSwitchesOutput({ ids: [vswitchId], vpcId: args.source.vpcId }, { parent });
  return pulumi.all([found, vswitchId, args.source.vpcId]).apply(([res, id, vpc]) => {
    const cidr = res.vswitches[0]?.cidrBlock;
    if (!cidr)
      throw new Error(
        `${name}: vSwitch ${id} (destination.vswitchId, or the instance's own) was not found in VPC ${vpc} (source.vpcId); v2 instances must be in the source's VPC, or set destination.cidr`,
      );
    return cidr;
  });
}

function createSecurityGroupRule(
  name: string,
  architecture: Architecture,
  securityGroupId: pulumi.Input<string>,
  port: number,
  cidr: pulumi.Input<string>,
  parent: pulumi.Resource,
): alicloud.ecs.SecurityGroupRule {
  const planned = pulumi.output(cidr).apply((c) => planSecurityGroupRule(architecture, port, c));
  return new alicloud.ecs.SecurityGroupRule(
    `${name}-source-ingress`,
    {
      securityGroupId,
      type: "ingress",
      ipProtocol: "tcp",
      nicType: "intranet",
      policy: "accept",
      portRange: `${port}/${port}`,
      cidrIp: cidr,
      description: planned.description,
    },
    { parent },
  );
}

interface V3Resources {
  loadBalancer: alicloud.slb.ApplicationLoadBalancer;
  endpointService: alicloud.privatelink.VpcEndpointService;
  vpcEndpoint: ElasticsearchVpcEndpoint;
  securityGroupRule: alicloud.ecs.SecurityGroupRule;
}

/** v3: CLB with a TCP 9200 listener and the ECS backends, the endpoint service on it, and the instance's endpoint. */
function createV3(
  name: string,
  args: AlicloudReindexAccessArgs,
  port: number,
  region: pulumi.Input<string>,
  parent: pulumi.Resource,
): V3Resources {
  const clbVswitchId = args.clb?.vswitchId ?? args.source.vswitchId;
  const loadBalancer = new alicloud.slb.ApplicationLoadBalancer(
    `${name}-clb`,
    {
      loadBalancerName: `${name}-clb`,
      addressType: "intranet",
      vswitchId: clbVswitchId,
      loadBalancerSpec: args.clb?.loadBalancerSpec ?? "slb.s2.small",
      paymentType: "PayAsYouGo",
    },
    { parent },
  );
  new alicloud.slb.Listener(
    `${name}-listener`,
    {
      loadBalancerId: loadBalancer.id,
      protocol: "tcp",
      frontendPort: DEFAULT_PORT,
      backendPort: port,
      bandwidth: -1,
      healthCheckType: "tcp",
      description: `Alibaba ES (PrivateLink) -> source Elasticsearch ${port} for remote reindex`,
    },
    { parent },
  );
  new alicloud.slb.BackendServer(
    `${name}-backends`,
    {
      loadBalancerId: loadBalancer.id,
      backendServers: args.source.instanceIds.map((serverId) => ({ serverId, weight: 100, type: "ecs" })),
    },
    { parent },
  );
  const securityGroupRule = createSecurityGroupRule(
    name,
    "v3",
    args.source.securityGroupId,
    port,
    args.clb?.trafficCidr ?? DEFAULT_CLB_TRAFFIC_CIDR,
    parent,
  );
  const endpointService = new alicloud.privatelink.VpcEndpointService(
    `${name}-endpoint-service`,
    {
      serviceResourceType: "slb",
      autoAcceptConnection: args.endpointService?.autoAcceptConnection ?? true,
      serviceDescription:
        args.endpointService?.description ??
        pulumi.interpolate`Remote reindex from self-managed Elasticsearch into ${args.destination.instanceId}`,
    },
    { parent },
  );
  // The standalone resource (not the service's inline `resources`): the two must not be mixed.
  const serviceResource = new alicloud.privatelink.VpcEndpointServiceResource(
    `${name}-endpoint-service-clb`,
    { serviceId: endpointService.id, resourceId: loadBalancer.id, resourceType: "slb" },
    { parent },
  );
  const users = (args.endpointService?.allowedUserIds ?? []).map(
    (userId, i) =>
      new alicloud.privatelink.VpcEndpointServiceUser(
        `${name}-endpoint-user-${i}`,
        { serviceId: endpointService.id, userId },
        { parent },
      ),
  );
  const zoneId =
    args.clb?.zoneId ?? args.source.zoneId ?? args.destination.zoneId ?? zoneOfVswitch(clbVswitchId, parent);
  const vpcEndpoint = new ElasticsearchVpcEndpoint(
    `${name}-es-endpoint`,
    { ...args.api, region, instanceId: args.destination.instanceId, serviceId: endpointService.id, zoneId },
    { parent, dependsOn: [serviceResource, ...users] },
  );
  return { loadBalancer, endpointService, vpcEndpoint, securityGroupRule };
}

function zoneOfVswitch(vswitchId: pulumi.Input<string>, parent: pulumi.Resource): pulumi.Output<string> {
  return pulumi
    .all([alicloud.vpc.getSwitchesOutput({ ids: [vswitchId] }, { parent }), vswitchId])
    .apply(([res, id]) => {
      const zone = res.vswitches[0]?.zoneId;
      if (!zone) throw new Error(`vSwitch ${id} was not found: cannot tell the CLB's zone; set source.zoneId`);
      return zone;
    });
}

function createInstanceWhitelist(
  name: string,
  args: AlicloudReindexAccessArgs,
  region: pulumi.Input<string>,
  entries: pulumi.Output<string[]>,
  parent: pulumi.Resource,
): ElasticsearchInstanceWhitelist {
  pulumi.log.warn(
    `${name}: updateInstanceYml writes reindex.remote.whitelist into the YML of ${String(
      typeof args.destination.instanceId === "string" ? args.destination.instanceId : "the destination instance",
    )} through UpdateInstanceSettings: every change RESTARTS the instance (rolling restart).`,
    parent,
  );
  return new ElasticsearchInstanceWhitelist(
    `${name}-whitelist`,
    { ...args.api, region, instanceId: args.destination.instanceId, entries },
    { parent },
  );
}
