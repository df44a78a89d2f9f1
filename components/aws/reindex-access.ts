// Network access for remote reindex into an Amazon OpenSearch Service domain: security-group ingress on the source
// for the domain's security groups, or an outbound connection for a domain-to-domain copy; the remote host, the
// AWS-only `remote` options and the SigV4 connection to the destination. Decisions live in ./plan.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConnection } from "../../provider/connection/types";
import {
  checkRemoteReindexVersions,
  connectionAlias,
  ingressDescription,
  planRemoteHost,
  planRemoteOptions,
  type RemoteOptions,
} from "./plan";

export interface AwsDomainArgs {
  /**
   * Security groups of the destination domain's VPC endpoints (`vpcOptions.securityGroupIds`). The source admits
   * each of them. Give these or `domainName` (looked up); for a public domain leave both out of host sources
   * without `securityGroupId`.
   */
  securityGroupIds?: pulumi.Input<string>[];
  /** Domain name. Used for the outbound connection (domain-to-domain) and to look up the security groups when `securityGroupIds` is not set. */
  domainName?: pulumi.Input<string>;
  /** Domain endpoint host, e.g. "vpc-logs-abc.eu-west-1.es.amazonaws.com" (`aws.opensearch.Domain.endpoint`). */
  endpoint: pulumi.Input<string>;
  /** Engine version as AWS writes it, e.g. "OpenSearch_2.11" or "Elasticsearch_7.10": the version rules are checked at preview. */
  engineVersion: string;
  /** Region of the domain. Default: the AWS provider's region. */
  region?: string;
  /** Account that owns the domain (for the outbound connection). Default: the caller's account. */
  ownerId?: pulumi.Input<string>;
}

/** A source reached by address: self-managed Elasticsearch/OpenSearch (on EC2 or elsewhere) or a proxy in front of it. */
export interface AwsHostSourceArgs {
  /** Host name or URL of the source as the domain sees it, e.g. "https://es-proxy.example.com" or "10.0.3.7". */
  host: string;
  /** Port of the source. Always written into the remote host (the service requires it); 443 for https proxies. */
  port: number;
  /** Security group of the source (EC2 instances or proxy): it gets one ingress rule per domain security group. Omit for a source outside AWS. */
  securityGroupId?: pulumi.Input<string>;
  /** The source is not an Amazon OpenSearch Service domain: AWS then requires https, basic auth and a public-CA certificate. Default false. */
  external?: boolean;
  /** Region of the source when it is an AWS domain in another region (the service signs the requests). Default: same region. */
  region?: string;
  /** Source engine version ("7.10.2", "OpenSearch_1.3"): checked against the domain's at preview. Default: not checked here (the Reindex resource checks it when it runs). */
  engineVersion?: string;
}

/** Another Amazon OpenSearch Service domain as the source, reached through an outbound connection (VPC endpoint mode). */
export interface AwsDomainSourceArgs {
  domain: {
    /** Name of the source domain. */
    domainName: pulumi.Input<string>;
    /** Region of the source domain. Default: the destination's region. */
    region?: string;
    /** Account that owns the source domain. Default: the caller's account. */
    ownerId?: pulumi.Input<string>;
    /** Engine version of the source domain, e.g. "Elasticsearch_7.10". Checked at preview. */
    engineVersion: string;
  };
  /** Alias of the outbound connection. Default: derived from the component name. */
  connectionAlias?: string;
}

export interface AwsReindexAccessArgs {
  /** The destination domain, which runs the remote reindex. */
  domain: AwsDomainArgs;
  /** Where the data comes from: an address (self-managed cluster or proxy) or another domain. */
  source: AwsHostSourceArgs | AwsDomainSourceArgs;
}

function isDomainSource(s: AwsHostSourceArgs | AwsDomainSourceArgs): s is AwsDomainSourceArgs {
  return (s as AwsDomainSourceArgs).domain !== undefined;
}

/**
 * The network path and the reindex options for remote reindex into an Amazon OpenSearch Service domain.
 * Feed `remoteHost` and `remote` to the Reindex resource, and `connection` as its destination.
 */
export class AwsReindexAccess extends pulumi.ComponentResource {
  /** `source.remote.host` for the Reindex resource, with its explicit port (":443" for https). */
  public readonly remoteHost: pulumi.Output<string>;
  /** The AWS-only `remote` fields (`external`, `region`) for the Reindex resource; empty when none applies. */
  public readonly remote: pulumi.Output<RemoteOptions>;
  /** How the Reindex and DestinationIndex resources reach the destination domain: its https URL, signed with SigV4. */
  public readonly connection: pulumi.Output<ClusterConnection>;
  /** The ingress rules on the source's security group (host sources in a VPC). */
  public readonly ingressRules: pulumi.Output<aws.vpc.SecurityGroupIngressRule[]>;
  /** The outbound connection (domain-to-domain sources). */
  public readonly outboundConnection?: aws.opensearch.OutboundConnection;

  constructor(name: string, args: AwsReindexAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pulumi-es-migrate:aws:ReindexAccess", name, {}, opts);
    const sourceVersion = isDomainSource(args.source) ? args.source.domain.engineVersion : args.source.engineVersion;
    const errors = checkRemoteReindexVersions(sourceVersion, args.domain.engineVersion);
    if (errors.length > 0) throw new Error(`AwsReindexAccess ${name}: ${errors.join("; ")}`);

    const destRegion: pulumi.Output<string> = args.domain.region
      ? pulumi.output(args.domain.region)
      : aws.getRegionOutput({}, { parent: this }).region;
    this.connection = pulumi.all([args.domain.endpoint, destRegion]).apply(([endpoint, region]): ClusterConnection => ({
      url: `https://${endpoint}:443`,
      aws: { region, service: "es" },
    }));

    if (isDomainSource(args.source)) {
      const src = args.source;
      const conn = createOutboundConnection(name, args.domain, src, destRegion, this);
      this.outboundConnection = conn;
      this.remoteHost = conn.connectionProperties.apply((p) => {
        if (!p?.endpoint)
          throw new Error(
            `${name}: the outbound connection reports no endpoint (it is set only once the connection is accepted)`,
          );
        return `https://${p.endpoint}:443`;
      });
      this.remote = destRegion.apply((r) => planRemoteOptions(false, src.domain.region, r));
      this.ingressRules = pulumi.output([]);
    } else {
      const src = args.source;
      const plan = planRemoteHost(src.host, src.port, src.external);
      this.remoteHost = pulumi.output(plan.remoteHost);
      this.remote = destRegion.apply((r) => planRemoteOptions(src.external, src.region, r));
      this.ingressRules =
        src.securityGroupId === undefined
          ? pulumi.output([])
          : createIngressRules(name, args.domain, src.securityGroupId, src.port, this);
    }

    this.registerOutputs({ remoteHost: this.remoteHost, remote: this.remote, connection: this.connection });
  }
}

/** One ingress rule per domain security group on the source's group, for the source port. */
function createIngressRules(
  name: string,
  domain: AwsDomainArgs,
  sourceSecurityGroupId: pulumi.Input<string>,
  port: number,
  parent: pulumi.Resource,
): pulumi.Output<aws.vpc.SecurityGroupIngressRule[]> {
  const label = typeof domain.domainName === "string" ? domain.domainName : "destination";
  const make = (sg: pulumi.Input<string>, i: number) =>
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-ingress-${i}`,
      {
        securityGroupId: sourceSecurityGroupId,
        referencedSecurityGroupId: sg,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: pulumi.output(sg).apply((id) => ingressDescription(label, id, port)),
      },
      { parent },
    );
  if (domain.securityGroupIds !== undefined) {
    if (domain.securityGroupIds.length === 0)
      throw new Error(
        `${name}: domain.securityGroupIds is empty; list the domain's VPC security groups or give domain.domainName`,
      );
    return pulumi.output(domain.securityGroupIds.map(make));
  }
  if (domain.domainName === undefined) {
    throw new Error(
      `${name}: source.securityGroupId is set, so the domain's security groups are needed: give domain.securityGroupIds or domain.domainName`,
    );
  }
  // The group ids are only known from the lookup; the lookup runs during preview too, so the rules show there.
  const found = aws.opensearch.getDomainOutput({ domainName: domain.domainName }, { parent });
  return found.apply((d) => {
    const ids = d.vpcOptions?.[0]?.securityGroupIds ?? [];
    if (ids.length === 0)
      throw new Error(
        `${name}: domain ${d.domainName} has no VPC security groups (a public domain?); drop source.securityGroupId`,
      );
    return ids.map(make);
  });
}

function createOutboundConnection(
  name: string,
  domain: AwsDomainArgs,
  source: AwsDomainSourceArgs,
  destRegion: pulumi.Output<string>,
  parent: pulumi.Resource,
): aws.opensearch.OutboundConnection {
  if (domain.domainName === undefined)
    throw new Error(
      `${name}: a domain-to-domain source needs domain.domainName (the local side of the outbound connection)`,
    );
  const account =
    domain.ownerId && source.domain.ownerId ? undefined : aws.getCallerIdentityOutput({}, { parent }).accountId;
  return new aws.opensearch.OutboundConnection(
    `${name}-connection`,
    {
      connectionAlias: source.connectionAlias ?? connectionAlias(name),
      connectionMode: "VPC_ENDPOINT",
      // The destination pulls, so it is the local side.
      localDomainInfo: { domainName: domain.domainName, ownerId: domain.ownerId ?? account!, region: destRegion },
      remoteDomainInfo: {
        domainName: source.domain.domainName,
        ownerId: source.domain.ownerId ?? account!,
        region: source.domain.region ?? destRegion,
      },
      acceptConnection: true,
    },
    { parent },
  );
}
