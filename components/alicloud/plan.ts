// Pure planning for the Alibaba Cloud reindex network path: validation, whitelist entries, the remote host and
// the instance YML. No Pulumi resources here, so every decision is table-tested (test/unit/plan-alicloud.test.ts).
import { WHITELIST_KEY } from "../../provider/alicloud/whitelist";

// The YML whitelist is read and written by the whitelist provider too: it lives beside it, under provider/.
export { WHITELIST_KEY, mergeReindexWhitelist, splitWhitelist } from "../../provider/alicloud/whitelist";

/** The port Alibaba's network paths assume for the source (and the CLB listener in v3). */
export const DEFAULT_PORT = 9200;

/** Alibaba's default CLB/ALB back-to-source range; used for the v3 security-group rule unless overridden. */
export const DEFAULT_CLB_TRAFFIC_CIDR = "100.64.0.0/10";

export type Architecture = "v2" | "v3";

/** What validation needs to know about the declared arguments: plain values only (no Outputs). */
export interface AccessShape {
  architecture: string;
  sourceZoneId?: string;
  sourcePort?: number;
  /** How many ECS instance ids were given (their values may not be known yet). */
  instanceIdCount: number;
  /** How many private IPs were given, or undefined when none. */
  privateIpCount?: number;
  destinationCidrGiven: boolean;
  destinationVswitchGiven: boolean;
  destinationZoneId?: string;
  endpointServiceGiven: boolean;
  clbGiven: boolean;
  clbZoneId?: string;
  /** Region of the Elasticsearch API calls, when known at preview time. */
  region?: string;
}

/** The region an Alibaba zone id belongs to: "cn-hangzhou-i" -> "cn-hangzhou", "ap-southeast-1a" -> "ap-southeast-1". */
export function regionOfZone(zoneId: string): string {
  return zoneId.replace(/-?[a-z]$/, "");
}

/**
 * Checks the arguments that can be judged before anything is created. Returns every problem found, each naming
 * the inputs involved and the way out; an empty list means the shape is valid.
 */
export function validateAccessShape(s: AccessShape): string[] {
  const errors: string[] = [];
  if (s.architecture !== "v2" && s.architecture !== "v3") {
    errors.push(
      `architecture must be "v2" (instances created before October 2020) or "v3" (cloud-native control), got "${s.architecture}"`,
    );
    return errors;
  }
  if (s.instanceIdCount === 0) {
    errors.push("source.instanceIds is empty: list the ECS instances that run the source Elasticsearch nodes");
  }
  if (s.sourcePort !== undefined && (!Number.isInteger(s.sourcePort) || s.sourcePort < 1 || s.sourcePort > 65535)) {
    errors.push(`source.port must be an integer between 1 and 65535, got ${s.sourcePort}`);
  }
  if (s.architecture === "v2") {
    if (s.endpointServiceGiven) {
      errors.push(
        'endpointService is a v3 option (PrivateLink); v2 instances reach the source directly: remove it or set architecture: "v3"',
      );
    }
    if (s.clbGiven) {
      errors.push('clb is a v3 option (the load balancer behind PrivateLink); remove it or set architecture: "v3"');
    }
    // Without privateIps the IPs are looked up from source.instanceIds, and without destination.cidr / vswitchId
    // the ES nodes' vSwitch from the instance; an empty list given on purpose is a mistake, though.
    if (s.privateIpCount === 0) {
      errors.push(
        "source.privateIps is empty: leave it out to look the IPs up from source.instanceIds, or list the source nodes' IPs (v2 whitelists each `IP:9200`)",
      );
    }
  } else {
    if (s.destinationCidrGiven) {
      errors.push(
        "destination.cidr is a v2 option: v3 instances reach the source only through PrivateLink, so the security group admits the CLB's traffic instead (clb.trafficCidr)",
      );
    }
    const zones: Array<[string, string | undefined]> = [
      ["source.zoneId", s.sourceZoneId],
      ["clb.zoneId", s.clbZoneId],
      ["destination.zoneId", s.destinationZoneId],
    ];
    const declared = zones.filter((z): z is [string, string] => z[1] !== undefined);
    const regions = new Set(declared.map(([, z]) => regionOfZone(z)));
    if (s.region !== undefined) regions.add(s.region);
    if (regions.size > 1) {
      const where = declared.map(([k, z]) => `${k}=${z}`).concat(s.region ? [`region=${s.region}`] : []);
      errors.push(
        `the source, the CLB and the Elasticsearch instance must be in one region (PrivateLink does not cross regions): ${where.join(", ")}`,
      );
    } else if (new Set(declared.map(([, z]) => z)).size > 1) {
      errors.push(
        `the CLB must be in the same zone as the source ECS instances and the Elasticsearch endpoint: ${declared
          .map(([k, z]) => `${k}=${z}`)
          .join(", ")}; pick one zone (put the CLB in a vSwitch of the source's zone)`,
      );
    }
  }
  return errors;
}

/** A source address as the user gave it, reduced to host and port. */
export interface SourceAddress {
  host: string;
  port: number;
}

/**
 * Normalizes one source address: a bare IP ("10.0.0.5"), "IP:port" or a URL ("http://10.0.0.5:9200").
 * A URL with a path is refused (Alibaba's guide: the remote host cannot carry a path), and a port other than 9200
 * must be declared in `source.port`, so a typo does not silently open and whitelist the wrong port.
 */
export function parseSourceAddress(
  raw: string,
  declaredPort: number | undefined,
  field = "source.privateIps",
): SourceAddress {
  const value = raw.trim();
  if (value === "") throw new Error(`${field} contains an empty entry`);
  let host: string;
  let portText: string | undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`${field}: "${raw}" is not a valid URL`);
    }
    if (url.username || url.password) {
      // Never echo the URL: it holds a password.
      throw new Error(
        `${field}: an entry for ${url.hostname} carries credentials; pass them to the Reindex resource instead`,
      );
    }
    if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") {
      throw new Error(
        `${field}: "${raw}" has a path; remote reindex on Alibaba Cloud needs a bare host and port (e.g. http://10.0.0.5:9200)`,
      );
    }
    host = url.hostname;
    portText = url.port || undefined;
  } else {
    const m = /^([^:/\s]+)(?::(\d+))?$/.exec(value);
    if (!m) throw new Error(`${field}: "${raw}" is neither an IP, IP:port nor a URL`);
    host = m[1]!;
    portText = m[2];
  }
  const port = portText === undefined ? (declaredPort ?? DEFAULT_PORT) : Number(portText);
  if (declaredPort === undefined && port !== DEFAULT_PORT) {
    throw new Error(
      `${field}: "${raw}" uses port ${port}; Alibaba's network path assumes ${DEFAULT_PORT}. If the source really listens on ${port}, set source.port: ${port}`,
    );
  }
  if (declaredPort !== undefined && port !== declaredPort) {
    throw new Error(`${field}: "${raw}" uses port ${port} but source.port is ${declaredPort}; make them agree`);
  }
  return { host, port };
}

/** An ECS instance as `alicloud.ecs.getInstances` describes it (the fields used here). */
export interface FoundEcsInstance {
  id: string;
  privateIp?: string;
}

/**
 * v2 without `source.privateIps`: the private IPs of `source.instanceIds`, in their order, from what the ECS look-up
 * found. Throws, naming them, for instances it did not find (another account or region) or that have no private IP.
 */
export function planV2PrivateIps(instanceIds: string[], found: FoundEcsInstance[]): string[] {
  const byId = new Map(found.map((i) => [i.id, i]));
  const missing = instanceIds.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new Error(
      `source.instanceIds ${missing.join(", ")} not found by the ECS look-up (alicloud.ecs.getInstances) in this account and region: ` +
        "check the ids and the alicloud:region, or give source.privateIps",
    );
  }
  const noIp = instanceIds.filter((id) => !byId.get(id)!.privateIp);
  if (noIp.length > 0)
    throw new Error(`source.instanceIds ${noIp.join(", ")} have no private IP in their VPC: give source.privateIps`);
  return instanceIds.map((id) => byId.get(id)!.privateIp!);
}

/** An Elasticsearch instance as `alicloud.elasticsearch.getInstances` describes it (the fields used here). */
export interface FoundEsInstance {
  id: string;
  vswitchId?: string;
}

/** v2 without `destination.cidr` / `vswitchId`: the instance's own vSwitch, whose CIDR the rule then admits. */
export function planV2DestinationVswitch(instanceId: string, found: FoundEsInstance[]): string {
  const instance = found.find((i) => i.id === instanceId);
  if (!instance) {
    throw new Error(
      `destination.instanceId ${instanceId} not found by alicloud.elasticsearch.getInstances in this account and region: check it, or give destination.cidr`,
    );
  }
  if (!instance.vswitchId)
    throw new Error(
      `destination.instanceId ${instanceId} reports no vSwitch: give destination.cidr (the ES nodes' vSwitch CIDR)`,
    );
  return instance.vswitchId;
}

/** v2: the whitelist entries are the source nodes' `IP:port`, deduplicated, in the order given. */
export function planV2WhitelistEntries(privateIps: string[], declaredPort: number | undefined): string[] {
  if (privateIps.length === 0) throw new Error("source.privateIps is empty: v2 whitelists the source nodes' IP:9200");
  const entries = privateIps.map((ip) => {
    const a = parseSourceAddress(ip, declaredPort);
    return `${a.host}:${a.port}`;
  });
  return [...new Set(entries)];
}

/** v2: the destination connects straight to the first source node. */
export function planV2RemoteHost(privateIps: string[], declaredPort: number | undefined): string {
  const first = parseSourceAddress(privateIps[0] ?? "", declaredPort);
  return `http://${first.host}:${first.port}`;
}

/** v3: the ES instance reaches the source through its PrivateLink endpoint, on the CLB listener port. */
export function planV3WhitelistEntries(endpointDomain: string): string[] {
  if (!endpointDomain || /[/:\s]/.test(endpointDomain)) {
    throw new Error(`the PrivateLink endpoint domain "${endpointDomain}" is not a bare host name`);
  }
  return [`${endpointDomain}:${DEFAULT_PORT}`];
}

export function planV3RemoteHost(endpointDomain: string): string {
  return `http://${planV3WhitelistEntries(endpointDomain)[0]}`;
}

/** A security-group rule as the component creates it (`alicloud.ecs.SecurityGroupRule` fields). */
export interface PlannedSecurityGroupRule {
  type: "ingress";
  ipProtocol: "tcp";
  nicType: "intranet";
  policy: "accept";
  portRange: string;
  cidrIp: string;
  description: string;
}

/** v2: open the source port to the ES nodes' vSwitch CIDR. v3: open it to the CLB's traffic range. */
export function planSecurityGroupRule(
  architecture: Architecture,
  port: number,
  cidr: string,
): PlannedSecurityGroupRule {
  const description =
    architecture === "v2"
      ? `Alibaba ES nodes (${cidr}) -> source Elasticsearch ${port} for remote reindex`
      : `CLB/PrivateLink traffic (${cidr}) -> source Elasticsearch ${port} for remote reindex`;
  return {
    type: "ingress",
    ipProtocol: "tcp",
    nicType: "intranet",
    policy: "accept",
    portRange: `${port}/${port}`,
    cidrIp: cidr,
    description,
  };
}

/** The whitelist as a line of YML, for the console's "Other Configurations" box. */
export function whitelistYml(entries: string[]): string {
  return `${WHITELIST_KEY}: ${JSON.stringify([...new Set(entries)].join(","))}\n`;
}
