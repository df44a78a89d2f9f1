// Remote reindex into an Amazon OpenSearch Service domain in a VPC from self-managed Elasticsearch on EC2 (through
// an https proxy with a public-CA certificate, as the service requires for external sources) or, with
// `sourceDomainName` set, from another domain through an outbound connection.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ClusterMigration } from "pulumi-es-migrate";
import { AwsReindexAccess, type AwsDomainSourceArgs, type AwsHostSourceArgs } from "pulumi-es-migrate/components/aws";

const config = new pulumi.Config();
/** The destination domain (looked up: it is managed elsewhere). */
const domainName = config.require("domainName");
/** Either a source domain ... */
const sourceDomainName = config.get("sourceDomainName");
/** ... or a self-managed source behind an https proxy, with the proxy's security group and the source version. */
const sourceHost = config.get("sourceHost") ?? "https://es-proxy.example.com";
const sourcePort = config.getNumber("sourcePort") ?? 443;
const sourceSecurityGroupId = config.get("sourceSecurityGroupId");
const sourceEngineVersion = config.get("sourceEngineVersion") ?? "7.10.2";
/** Declared at preview-time so the version rules are checked before anything is created. */
const engineVersion = config.require("engineVersion");

const domain = aws.opensearch.getDomainOutput({ domainName });

const source: AwsHostSourceArgs | AwsDomainSourceArgs = sourceDomainName
  ? { domain: { domainName: sourceDomainName, engineVersion: config.require("sourceDomainEngineVersion") } }
  : {
      host: sourceHost,
      port: sourcePort,
      securityGroupId: sourceSecurityGroupId,
      external: true,
      engineVersion: sourceEngineVersion,
    };

const access = new AwsReindexAccess("es-migration", {
  // No securityGroupIds: the component looks them up from the domain by name.
  domain: { domainName, endpoint: domain.endpoint, engineVersion },
  source,
});

// The data: the source's open, non-system indices (or `include`), pulled by the domain over the path above. The
// destination connection signs with SigV4 (default AWS credential chain); `access.remote` adds external/region.
const sourceUrl = config.require("sourceUrl"); // as this program reaches the source, e.g. https://es-proxy.example.com:443
const sourceUsername = config.get("sourceUsername");
const sourcePassword = config.getSecret("sourcePassword");
const migration = new ClusterMigration(
  "es-migration",
  {
    source: { url: sourceUrl, username: sourceUsername, password: sourcePassword },
    sourceRemote: pulumi
      .all([access.remoteHost, access.remote])
      .apply(([host, remote]) => ({ host, ...remote, username: sourceUsername, password: sourcePassword })),
    destination: access.connection,
    include: config.getObject<string[]>("include") ?? ["*"],
    exclude: config.getObject<string[]>("exclude"),
    // The service's guide: batches of 1000 with a longer socket timeout for a source across the internet.
    defaults: { mode: { type: "incremental", field: config.get("incrementalField") ?? "update_time" }, size: 1000 },
    concurrency: config.getNumber("concurrency") ?? 2,
  },
  { dependsOn: [access] },
);
export const migrated = migration.summary;

export const remoteHost = access.remoteHost;
export const remote = access.remote;
export const destinationUrl = access.connection.url;
