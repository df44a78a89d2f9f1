// Pure planning for remote reindex into Amazon OpenSearch Service: version rules, the remote host, the `remote`
// options and the security-group ingress rules. Table-tested in test/unit/plan-aws.test.ts.
import {
  type EngineVersion,
  destinationTooOld,
  flavorName,
  sourceVersionProblem,
} from "../../provider/shared/versions";

export type { EngineVersion };

/**
 * Reads an engine version as AWS writes it ("OpenSearch_2.11", "Elasticsearch_7.10") or as `GET /` reports it
 * ("7.10.2", which means Elasticsearch; "opensearch 2.11.1" or "OpenSearch 2.11" for OpenSearch).
 */
export function parseEngineVersion(raw: string, field = "engineVersion"): EngineVersion {
  const m = /^\s*(?:(elasticsearch|opensearch|es|os)[_\s-]?)?(\d+)\.(\d+)(?:\.\d+)?\s*$/i.exec(raw);
  if (!m) {
    throw new Error(
      `${field}: "${raw}" is not an engine version; use the AWS form ("OpenSearch_2.11", "Elasticsearch_7.10") or "7.10.2"`,
    );
  }
  const prefix = (m[1] ?? "elasticsearch").toLowerCase();
  return {
    flavor: prefix === "opensearch" || prefix === "os" ? "opensearch" : "elasticsearch",
    major: Number(m[2]),
    minor: Number(m[3]),
  };
}

function label(v: EngineVersion): string {
  return `${flavorName(v)} ${v.major}.${v.minor}`;
}

/**
 * The version rules of remote reindex on Amazon OpenSearch Service, from the declared engine versions:
 * - the destination must be Elasticsearch 6.7 or newer (any OpenSearch): the service's own floor, which is why it
 *   lives here (the Reindex resource applies it to AWS destinations only; self-managed and Alibaba Cloud 5.x/6.x
 *   destinations remote-reindex below it);
 * - the source's major version must be lower than or equal to the destination's, where OpenSearch 1.x/2.x/3.x
 *   count as majors after Elasticsearch 7 (so ES 7.10 -> OpenSearch 1.3 passes, OpenSearch 2.x -> ES 7.10 does not,
 *   ES 7.10 -> ES 7.9 passes because only majors are compared);
 * - an Elasticsearch 8+ source into an OpenSearch destination is refused: the lines diverged after 7.10 and the
 *   service documents no such path.
 * Returns every problem found; empty when the pair is allowed. With no source version, only the destination is checked.
 */
export function checkRemoteReindexVersions(source: string | undefined, destination: string): string[] {
  const errors: string[] = [];
  const dest = parseEngineVersion(destination, "domain.engineVersion");
  if (destinationTooOld(dest, { aws: true }) !== undefined) {
    errors.push(
      `the destination domain runs ${label(dest)}; remote reindex on Amazon OpenSearch Service needs 6.7 or newer: upgrade the domain first`,
    );
  }
  if (source === undefined) return errors;
  const src = parseEngineVersion(source, "source.engineVersion");
  const problem = sourceVersionProblem(src, dest);
  if (problem === "diverged") {
    errors.push(
      `${label(src)} -> ${label(dest)}: Elasticsearch 8+ sources are not on OpenSearch's version line; remote reindex into OpenSearch is not a documented path (use snapshot/restore or a client-side copy)`,
    );
  } else if (problem === "newer") {
    errors.push(
      `${label(src)} -> ${label(dest)}: the source's major version must be lower than or equal to the destination's; migrate into a newer domain`,
    );
  }
  return errors;
}

export interface HostSourcePlan {
  /** `scheme://host:port[/prefix]`, always with the explicit port. */
  remoteHost: string;
  scheme: "http" | "https";
  port: number;
}

/**
 * The remote host for a source reached by address. `host` is a bare host name or a URL; the port is always written
 * out (Amazon OpenSearch Service requires it, `:443` for https). External sources must use https (AWS requires a
 * certificate from a public CA for them).
 */
export function planRemoteHost(host: string, port: number, external: boolean | undefined): HostSourcePlan {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`source.port must be an integer between 1 and 65535, got ${port}`);
  const value = host.trim();
  let scheme: "http" | "https";
  let hostname: string;
  let prefix = "";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`source.host: "${host}" is not a valid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new Error(`source.host: scheme ${url.protocol} is not http or https`);
    if (url.username || url.password)
      throw new Error(`source.host for ${url.hostname} carries credentials; pass them to the Reindex resource instead`);
    if (url.search || url.hash)
      throw new Error(`source.host: "${host}" has a query or fragment; use scheme://host:port[/prefix]`);
    const urlPort = url.port ? Number(url.port) : undefined;
    if (urlPort !== undefined && urlPort !== port)
      throw new Error(`source.host says port ${urlPort} but source.port is ${port}; make them agree`);
    scheme = url.protocol === "https:" ? "https" : "http";
    hostname = url.hostname;
    prefix = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  } else {
    if (!/^[A-Za-z0-9.-]+$/.test(value) && !/^\[[0-9a-fA-F:]+\]$/.test(value)) {
      throw new Error(`source.host: "${host}" is neither a host name nor a URL`);
    }
    hostname = value;
    scheme = port === 443 || external ? "https" : "http";
  }
  if (external && scheme !== "https") {
    throw new Error(
      `source.host: external sources must be reached over https with a certificate from a public CA (Amazon OpenSearch Service refuses others); got ${scheme}://${hostname}`,
    );
  }
  return { remoteHost: `${scheme}://${hostname}:${port}${prefix}`, scheme, port };
}

/** The AWS-only `remote` fields of a reindex request: only those that apply, so open-source engines are not sent them. */
export interface RemoteOptions {
  /** The source is not an AWS domain (basic auth only, public-CA certificate). */
  external?: boolean;
  /** The source domain's region, when it is not the destination's. */
  region?: string;
}

export function planRemoteOptions(
  external: boolean | undefined,
  sourceRegion: string | undefined,
  destinationRegion: string | undefined,
): RemoteOptions {
  const out: RemoteOptions = {};
  if (external) out.external = true;
  if (sourceRegion !== undefined && sourceRegion !== destinationRegion) out.region = sourceRegion;
  return out;
}

/** Description of the ingress rule admitting one domain security group (EC2 allows only a limited character set). */
export function ingressDescription(domainLabel: string, securityGroupId: string, port: number): string {
  // Allowed: letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*
  return `OpenSearch domain ${domainLabel} (${securityGroupId}) to source port ${port} for remote reindex`.replace(
    /[^A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g,
    "_",
  );
}

/** An OpenSearch outbound-connection alias: letters, digits, `-` and `_`, starting with a letter, 2-20 characters. */
export function connectionAlias(name: string): string {
  let alias = name.replace(/[^A-Za-z0-9_-]/g, "-");
  if (!/^[A-Za-z]/.test(alias)) alias = `r${alias}`;
  alias = alias.slice(0, 20);
  return alias.length < 2 ? `${alias}x` : alias;
}
