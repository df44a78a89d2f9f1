// Reads a cluster URL the way the rest of the project needs it: scheme, host and an explicit port (remote reindex
// and the reindex whitelist need `host:port`), an optional path prefix, nothing else. Pure, so the rules are
// table-tested without a network.

export interface UrlParts {
  scheme: "http" | "https";
  /** Host as written (IPv6 keeps its brackets). */
  host: string;
  port: number;
  /** Path prefix without the trailing slash, "" when none. */
  path: string;
}

/** One thing wrong with a URL: what is wrong and how to fix it (without the field name). */
export type UrlProblem = string;

const SCHEME_RE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/** The URL with any `user:password@` part removed, safe to echo in an error. */
export function stripUserinfo(raw: string): string {
  return raw.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/?#@]*@/, "$1");
}

/** True for Amazon OpenSearch Service / Serverless endpoints. */
export function isAwsHost(host: string): boolean {
  return /\.amazonaws\.com(\.cn)?$/i.test(host) || /\.on\.aws$/i.test(host);
}

/** Which port a user who left it out probably means, with the reason, for the error message. */
export function likelyPort(scheme: string, host: string, aws: boolean): { port: number; why: string } {
  if (aws || isAwsHost(host)) return { port: 443, why: "Amazon OpenSearch Service listens on 443" };
  if (scheme === "https") {
    return {
      port: 9200,
      why: "Elasticsearch and OpenSearch listen on 9200; use 443 if a load balancer or managed endpoint serves the standard HTTPS port",
    };
  }
  return { port: 9200, why: "Elasticsearch and OpenSearch listen on 9200 by default" };
}

/**
 * Splits `raw` into its parts, or lists what is wrong. `aws` only sharpens the port hint.
 * `allowPath: false` is for places where the engine (or Alibaba Cloud) takes `scheme://host:port` only.
 */
export function parseClusterUrl(
  raw: string,
  opts: { aws?: boolean; allowPath?: boolean } = {},
): { ok: true; parts: UrlParts } | { ok: false; problems: UrlProblem[] } {
  const shown = JSON.stringify(stripUserinfo(raw));
  const trimmed = raw.trim();
  if (trimmed === "")
    return { ok: false, problems: ['is empty: give the cluster\'s URL, e.g. "http://10.0.0.5:9200"'] };
  if (trimmed !== raw) return { ok: false, problems: [`${shown} has spaces around it: remove them`] };

  const scheme = SCHEME_RE.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    const guess = /:443$/.test(raw.split(/[/?#]/)[0]) ? "https" : "http";
    return { ok: false, problems: [`${shown} has no scheme: add http:// or https://, e.g. "${guess}://${raw}"`] };
  }
  if (scheme !== "http" && scheme !== "https") {
    return { ok: false, problems: [`${shown} has scheme "${scheme}": use http:// or https://`] };
  }

  const afterScheme = raw.slice(scheme.length + 3);
  const authorityEnd = afterScheme.search(/[/?#]/);
  let authority = authorityEnd === -1 ? afterScheme : afterScheme.slice(0, authorityEnd);
  const rest = authorityEnd === -1 ? "" : afterScheme.slice(authorityEnd);
  const problems: UrlProblem[] = [];

  if (authority.includes("@")) {
    problems.push(
      `${shown} carries credentials (user:password@): remove them from the URL and set username and password instead (as secrets)`,
    );
    authority = authority.slice(authority.lastIndexOf("@") + 1);
  }

  const hostPort = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*)(?::(.*))?$/.exec(authority);
  const host = hostPort?.[1] ?? "";
  const portText = hostPort?.[2];
  if (hostPort === null) {
    problems.push(
      `${shown} has a malformed host "${authority}" (an IPv6 address goes in brackets: "http://[::1]:9200")`,
    );
  } else if (host === "") {
    problems.push(`${shown} has no host: e.g. "${scheme}://10.0.0.5:9200"`);
  } else if (!/^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+)$/.test(host)) {
    problems.push(`${shown} has an invalid host "${host}": use a DNS name or an IP address`);
  }

  let port = 0;
  if (hostPort !== null && host !== "") {
    if (portText === undefined || portText === "") {
      const hint = likelyPort(scheme, host, opts.aws === true);
      problems.push(
        `${shown} has no port: write it explicitly (remote reindex and the whitelist need host:port), ` +
          `e.g. "${hint.port === 443 ? "https" : scheme}://${host}:${hint.port}${rest.replace(/\/$/, "")}" (${hint.why})`,
      );
    } else if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      problems.push(`${shown} has an invalid port "${portText}": use a number from 1 to 65535, usually 9200 or 443`);
    } else {
      port = Number(portText);
    }
  }

  const q = rest.search(/[?#]/);
  const path = (q === -1 ? rest : rest.slice(0, q)).replace(/\/+$/, "");
  if (q !== -1) {
    problems.push(
      `${shown} has a query string or fragment: remove everything from "${rest[q]}" on (query parameters are set per request)`,
    );
  }
  if (path !== "" && opts.allowPath === false) {
    problems.push(
      `${shown} has a path "${path}", which is not allowed here: give only scheme://host:port, e.g. "${scheme}://${host}:${port || 9200}"`,
    );
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, parts: { scheme, host, port, path } };
}
