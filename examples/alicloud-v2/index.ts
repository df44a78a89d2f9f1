// Remote reindex from self-managed Elasticsearch on ECS into an Alibaba Cloud Elasticsearch instance of the v2
// network architecture (created before October 2020): the instance reaches the source VPC directly, so the path is
// one security-group rule, and the whitelist lists the source nodes' IP:9200.
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { ClusterMigration } from "pulumi-es-migrate";
import { AlicloudReindexAccess } from "pulumi-es-migrate/components/alicloud";

const config = new pulumi.Config();
/** The ECS instances running the source Elasticsearch nodes (ids), their vSwitch and security group. */
const sourceInstanceIds = config.requireObject<string[]>("sourceInstanceIds");
const sourceVswitchId = config.require("sourceVswitchId");
const sourceSecurityGroupId = config.require("sourceSecurityGroupId");
/** The destination Alibaba Cloud Elasticsearch instance (v2) and whether to write its YML through the API. */
const esInstanceId = config.require("esInstanceId");
const updateInstanceYml = config.getBoolean("updateInstanceYml") ?? false;

// Look the network up instead of declaring it: it already exists next to the source cluster.
const sourceSwitch = alicloud.vpc.getSwitchesOutput({ ids: [sourceVswitchId] });
const sourceInstances = alicloud.ecs.getInstancesOutput({ ids: sourceInstanceIds });
const esInstance = alicloud.elasticsearch.getInstancesOutput({ ids: [esInstanceId] });

const access = new AlicloudReindexAccess("es-migration", {
  architecture: "v2",
  source: {
    vpcId: sourceSwitch.vswitches.apply((v) => v[0]!.vpcId),
    vswitchId: sourceVswitchId,
    securityGroupId: sourceSecurityGroupId,
    instanceIds: sourceInstanceIds,
    // One entry per instance, in the order configured: the first is the node the destination connects to.
    privateIps: sourceInstanceIds.map((id) =>
      sourceInstances.instances.apply((list) => {
        const found = list.find((i) => i.id === id);
        if (!found) throw new Error(`ECS instance ${id} (sourceInstanceIds) was not found in this region`);
        return found.privateIp;
      }),
    ),
  },
  destination: {
    instanceId: esInstanceId,
    // The ES nodes' vSwitch: its CIDR is what the source security group admits on 9200.
    vswitchId: esInstance.instances.apply((i) => i[0]!.vswitchId),
  },
  updateInstanceYml,
});

// The data: every open, non-system index of the source (or the `include` patterns), copied by the instance over
// the path above. The program itself reaches both clusters (counts, settings, mappings): run `pulumi up` from a
// host that sees the source and the instance (e.g. an ECS instance in the source VPC).
const sourceUrl = config.require("sourceUrl"); // e.g. http://10.0.1.5:9200, as this program reaches the source
const sourceUsername = config.get("sourceUsername");
const sourcePassword = config.getSecret("sourcePassword");
const migration = new ClusterMigration(
  "es-migration",
  {
    source: { url: sourceUrl, username: sourceUsername, password: sourcePassword },
    // The instance reaches the source at the address the whitelist admits.
    sourceRemote: { host: access.remoteHost, username: sourceUsername, password: sourcePassword },
    // e.g. http://es-cn-xxxx.elasticsearch.aliyuncs.com:9200 (the instance's private or public domain)
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
  // The whitelist must be in place (and, through the API, the instance restarted) before a copy starts.
  { dependsOn: [access] },
);
export const migrated = migration.summary;

export const remoteHost = access.remoteHost;
export const whitelistEntries = access.whitelistEntries;
/** Paste into the console (Cluster Configuration > YML > Other Configurations) when updateInstanceYml is off. */
export const yml = access.yml;
