// Removes every credential a connection can carry from a piece of text before it reaches an error or a log.
import type { ClusterConnection } from "./types";

const MASK = "[redacted]";

/** The literal secrets a connection carries, in every form they may travel in (raw, base64 auth header). */
export function connectionSecrets(conn: Partial<ClusterConnection>, extra: (string | undefined)[] = []): string[] {
  const secrets: (string | undefined)[] = [conn.password, conn.apiKey, ...extra];
  if (conn.password !== undefined)
    secrets.push(Buffer.from(`${conn.username ?? ""}:${conn.password}`).toString("base64"));
  if (conn.apiKey !== undefined) {
    // An "id:key" key travels base64-encoded, a base64 key may be logged decoded.
    secrets.push(Buffer.from(conn.apiKey).toString("base64"));
    const decoded = Buffer.from(conn.apiKey, "base64").toString("utf8");
    if (/^[\x20-\x7e]+:[\x20-\x7e]+$/.test(decoded)) secrets.push(decoded, decoded.split(":")[1]);
  }
  // With aws, the credential chain may read these; they must never be echoed either.
  secrets.push(process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN);
  return [...new Set(secrets.filter((s): s is string => typeof s === "string" && s !== ""))].sort(
    (a, b) => b.length - a.length,
  );
}

/**
 * `text` with the connection's password, API key and AWS secrets replaced by "[redacted]", and with credential
 * shapes removed whatever their value: `user:pass@` in URLs, Authorization header values, SigV4 signatures and
 * session tokens. `extraSecrets` adds values only the caller knows (e.g. credentials resolved at run time).
 */
export function redact(
  text: string,
  conn: Partial<ClusterConnection>,
  extraSecrets: (string | undefined)[] = [],
): string {
  let out = text;
  for (const secret of connectionSecrets(conn, extraSecrets)) out = out.split(secret).join(MASK);
  return out
    .replace(/([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/\s?#@"']*@/g, `$1${MASK}@`)
    .replace(/\b(Basic|Bearer|ApiKey)\s+[A-Za-z0-9+/=._-]{4,}/g, `$1 ${MASK}`)
    .replace(/(Signature=)[0-9a-f]{16,}/g, `$1${MASK}`)
    .replace(/(x-amz-security-token["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, `$1${MASK}`);
}
