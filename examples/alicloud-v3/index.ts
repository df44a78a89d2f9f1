// Remote reindex from self-managed Elasticsearch on ECS into an Alibaba Cloud Elasticsearch instance of the v3
// (cloud-native control) network architecture: the instance reaches the user's VPC only through PrivateLink, so the
// program puts an intranet CLB in front of the source nodes, an endpoint service on the CLB, and the instance's
// endpoint to that service; the whitelist lists the endpoint's domain with port 9200.
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { ClusterMigration } from "pulumi-es-migrate";
import { AlicloudReindexAccess } from "pulumi-es-migrate/components/alicloud";

const config = new pulumi.Config();
/** The ECS instances running the source Elasticsearch nodes, their vSwitch (in the instance's zone) and security group. */
const sourceInstanceIds = config.requireObject<string[]>("sourceInstanceIds");
const sourceVswitchId = config.require("sourceVswitchId");
const sourceSecurityGroupId = config.require("sourceSecurityGroupId");
/** Zone of the source vSwitch: the CLB and the instance's endpoint must be in it (checked at preview). */
const zoneId = config.require("zoneId");
/** The destination Alibaba Cloud Elasticsearch instance (v3). */
const esInstanceId = config.require("esInstanceId");
const region = new pulumi.Config("alicloud").require("region");

const sourceSwitch = alicloud.vpc.getSwitchesOutput({ ids: [sourceVswitchId] });

const access = new AlicloudReindexAccess("es-migration", {
  architecture: "v3",
  source: {
    vpcId: sourceSwitch.vswitches.apply((v) => v[0]!.vpcId),
    vswitchId: sourceVswitchId,
    zoneId,
    securityGroupId: sourceSecurityGroupId,
    instanceIds: sourceInstanceIds,
  },
  destination: { instanceId: esInstanceId },
  // The endpoint is created by the Elasticsearch service's account, so the service accepts connections on its own.
  endpointService: { autoAcceptConnection: true },
  // Credentials for the Elasticsearch API come from ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET.
  api: { region },
  // The instance is not declared here (its settingConfig would depend on the endpoint, which depends on the
  // instance: a cycle), so the whitelist goes into its YML through the API. This RESTARTS the instance.
  updateInstanceYml: true,
});

// The data: every open, non-system index of the source (or the `include` patterns), copied by the instance through
// the PrivateLink endpoint. This program reaches both clusters itself: run `pulumi up` from a host in the source VPC.
const sourceUrl = config.require("sourceUrl"); // e.g. http://10.0.1.5:9200, as this program reaches the source
const sourceUsername = config.get("sourceUsername");
const sourcePassword = config.getSecret("sourcePassword");
const migration = new ClusterMigration(
  "es-migration",
  {
    source: { url: sourceUrl, username: sourceUsername, password: sourcePassword },
    // The instance reaches the source only through its endpoint's domain (port 9200), which the whitelist lists.
    sourceRemote: { host: access.remoteHost, username: sourceUsername, password: sourcePassword },
    destination: {
      url: config.require("destinationUrl"),
      username: config.get("destinationUsername") ?? "elastic",
      password: config.requireSecret("destinationPassword"),
    },
    include: config.getObject<string[]>("include") ?? ["*"],
    exclude: config.getObject<string[]>("exclude"),
    defaults: { mode: { type: "incremental", field: config.get("incrementalField") ?? "update_time" } },
    concurrency: config.getNumber("concurrency") ?? 2,
  },
  // The whitelist resource finishes only once the instance is active again after its restart.
  { dependsOn: [access] },
);
export const migrated = migration.summary;

export const remoteHost = access.remoteHost;
export const whitelistEntries = access.whitelistEntries;
export const endpointDomain = access.vpcEndpoint!.endpointDomain;
export const loadBalancerAddress = access.loadBalancer!.address;
