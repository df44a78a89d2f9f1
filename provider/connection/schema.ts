// Validation of a ClusterConnection: zod for the shape, then the rules that involve several fields. Every message
// names the field and says how to fix it. Parts that Pulumi does not know yet (preview) are accepted as they are.
import { z } from "zod";
import { Problems, type Problem } from "../shared/problems";
import { ConnectionConfigError } from "./errors";
import type { ClusterConnection } from "./types";
import { UNKNOWN, isUnknown } from "./unknown";
import { isAwsHost, parseClusterUrl } from "./url";

const FIELDS = ["url", "username", "password", "apiKey", "aws", "caCert", "insecureSkipVerify", "headers"];
// Headers the connection layer sets itself; setting them by hand would fight with auth or signing.
const RESERVED_HEADERS = [
  "authorization",
  "host",
  "content-type",
  "content-length",
  "x-amz-date",
  "x-amz-content-sha256",
  "x-amz-security-token",
];
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const unknownValue = z.literal(UNKNOWN);
const text = (what: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `is required: ${what}` : `must be a string: ${what}`) });

const awsSchema = z.strictObject(
  {
    region: text('the AWS region of the domain, e.g. "eu-west-1"'),
    service: z
      .union([z.enum(["es", "aoss"]), unknownValue], {
        error: 'must be "es" (Amazon OpenSearch Service, the default) or "aoss" (OpenSearch Serverless)',
      })
      .optional(),
  },
  {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `has unknown field(s) ${iss.keys.join(", ")}: aws takes region and service`
        : 'must be an object like { region: "eu-west-1" }',
  },
);

const shape = z.strictObject(
  {
    url: text('the cluster\'s base URL with scheme and port, e.g. "https://10.0.0.5:9200"'),
    username: text("the basic-auth user name").optional(),
    password: text("the basic-auth password").optional(),
    apiKey: text('the API key (the base64 "encoded" value, or "id:api_key")').optional(),
    aws: z.union([awsSchema, unknownValue], { error: 'must be an object like { region: "eu-west-1" }' }).optional(),
    caCert: text("the PEM text of the CA certificate").optional(),
    insecureSkipVerify: z
      .union([z.boolean({ error: "must be true or false" }), unknownValue], { error: "must be true or false" })
      .optional(),
    headers: z
      .union([z.record(z.string(), z.string({ error: "header values must be strings" })), unknownValue], {
        error: 'must be an object of header name to string value, e.g. { "x-tenant": "blue" }',
      })
      .optional(),
  },
  {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `has unknown field(s) ${iss.keys.join(", ")}: a connection takes ${FIELDS.join(", ")}`
        : 'must be an object like { url: "http://10.0.0.5:9200", username: "elastic", password: ... }',
  },
);

type Shape = z.infer<typeof shape>;
const known = (v: unknown): boolean => v !== undefined && !isUnknown(v);

/** Cross-field rules; `add(path, message)` reports one problem. */
function checkRules(c: Shape, add: (path: string[], message: string) => void): void {
  const aws = c.aws !== undefined && !isUnknown(c.aws) ? (c.aws as Exclude<Shape["aws"], string>) : undefined;
  let scheme: string | undefined;
  let host: string | undefined;
  if (!isUnknown(c.url)) {
    const parsed = parseClusterUrl(c.url, { aws: c.aws !== undefined });
    if (parsed.ok) ({ scheme, host } = parsed.parts);
    else for (const p of parsed.problems) add(["url"], p);
  }

  if (known(c.password) && c.username === undefined) {
    add(["password"], "is set without username: set username too (basic auth needs both)");
  }
  if (known(c.username) && c.password === undefined) {
    add(["username"], "is set without password: set password too (as a secret), or remove username");
  }
  if (c.username === "") add(["username"], "is empty: give the user name or remove username and password");
  if (c.password === "") add(["password"], "is empty: give the password (as a secret) or remove username and password");
  if (c.apiKey !== undefined && (c.username !== undefined || c.password !== undefined)) {
    add(
      ["apiKey"],
      "is set together with username/password: use one way to authenticate, either apiKey or username and password",
    );
  }
  if (c.apiKey === "") add(["apiKey"], "is empty: give the API key or remove apiKey");
  if (c.aws !== undefined) {
    if (c.username !== undefined || c.password !== undefined) {
      add(
        ["aws"],
        "is set together with username/password: requests are signed with AWS SigV4 and the AWS credential chain; remove username and password, or remove aws to use basic auth (e.g. fine-grained access control's internal users)",
      );
    }
    if (c.apiKey !== undefined)
      add(["aws"], "is set together with apiKey: Amazon OpenSearch Service takes SigV4, not API keys; remove apiKey");
  }
  if (aws !== undefined && known(aws.region) && !REGION_RE.test(aws.region)) {
    add(
      ["aws", "region"],
      `"${aws.region}" is not an AWS region name: use the domain's region, e.g. "eu-west-1" or "us-east-1"`,
    );
  }
  if (scheme === "http" && host !== undefined && isAwsHost(host)) {
    add(
      ["url"],
      'uses http:// for an AWS endpoint: Amazon OpenSearch Service serves HTTPS only, use "https://<endpoint>:443"',
    );
  }
  if (known(c.caCert)) {
    if (!/-----BEGIN CERTIFICATE-----/.test(c.caCert as string)) {
      add(
        ["caCert"],
        'is not PEM text: pass the certificate\'s contents (starting with "-----BEGIN CERTIFICATE-----"), e.g. fs.readFileSync("ca.pem", "utf8"), not a file path',
      );
    }
    if (scheme === "http") add(["caCert"], "is set but the URL uses http://: use https:// or remove caCert");
  }
  if (c.insecureSkipVerify === true && scheme === "http") {
    add(["insecureSkipVerify"], "is set but the URL uses http://: use https:// or remove insecureSkipVerify");
  }
  if (c.headers !== undefined && !isUnknown(c.headers)) {
    for (const name of Object.keys(c.headers)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
        add(["headers"], `has an invalid header name ${JSON.stringify(name)}: use letters, digits and dashes`);
      } else if (RESERVED_HEADERS.includes(name.toLowerCase())) {
        add(
          ["headers"],
          `sets "${name}", which the connection sets itself: use username/password, apiKey or aws instead`,
        );
      }
    }
    for (const [name, value] of Object.entries(c.headers)) {
      if (/[\r\n]/.test(value)) add(["headers"], `"${name}" has a line break in its value: remove it`);
    }
  }
}

/** Normalizes what passed validation: no trailing slash on the URL, API keys in the base64 form ES expects. */
function normalize(c: Shape): ClusterConnection {
  const out = { ...c } as ClusterConnection;
  if (!isUnknown(c.url)) out.url = c.url.replace(/\/+$/, "");
  // "id:api_key" is what the create-API-key response shows as two fields; the header wants base64 of it.
  if (known(c.apiKey) && c.apiKey!.includes(":")) out.apiKey = Buffer.from(c.apiKey!, "utf8").toString("base64");
  for (const k of Object.keys(out) as (keyof ClusterConnection)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * The zod schema of a connection. Pulumi's unknown sentinel is accepted for any field (preview); the rules that
 * involve an unknown field are skipped.
 */
export const clusterConnectionSchema: z.ZodType<ClusterConnection> = shape
  .superRefine((c, ctx) => checkRules(c, (path, message) => ctx.addIssue({ code: "custom", path, message })))
  .transform(normalize) as unknown as z.ZodType<ClusterConnection>;

type Issue = { code: string; path: PropertyKey[]; message: string; errors?: Issue[][] };

// A field that may also be the unknown sentinel is a union; when the value was meant as the real thing, the
// useful messages are the ones of that branch (e.g. "aws.region is required"), not "invalid input".
function flattenUnions(
  issues: readonly Issue[],
  prefix: PropertyKey[] = [],
): { path: PropertyKey[]; message: string }[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors !== undefined) {
      const meant = issue.errors.find(
        (branch) => !(branch.length === 1 && branch[0].code === "invalid_value" && branch[0].path.length === 0),
      );
      const rootTypeError =
        meant !== undefined && meant.length === 1 && meant[0].code === "invalid_type" && meant[0].path.length === 0;
      if (meant !== undefined && !rootTypeError) return flattenUnions(meant, path);
    }
    return [{ path, message: issue.message }];
  });
}

/**
 * Checks `input` as a connection for `field` (e.g. "cluster" or "copyFrom.cluster") without throwing: the connection
 * normalized, or every problem, each naming the field and the fix (its reason starts with that field).
 * A fully unknown input (preview) comes back as `{ url: UNKNOWN }`: check `containsUnknown` before connecting.
 * `allowPath: false` rejects a path prefix in the URL (for places that take scheme://host:port only).
 */
export function checkConnection(
  input: unknown,
  field: string,
  opts: { allowPath?: boolean } = {},
): { connection?: ClusterConnection; problems: Problem[] } {
  if (isUnknown(input)) return { connection: { url: UNKNOWN }, problems: [] };
  const result = clusterConnectionSchema.safeParse(input);
  const problems = new Problems();
  if (!result.success) {
    for (const issue of flattenUnions(result.error.issues))
      problems.addNamed([field, ...issue.path.map(String)].join("."), issue.message);
  } else if (opts.allowPath === false && !isUnknown(result.data.url)) {
    const parsed = parseClusterUrl(result.data.url, { allowPath: false, aws: result.data.aws !== undefined });
    if (!parsed.ok) for (const p of parsed.problems) problems.addNamed(`${field}.url`, p);
  }
  return problems.empty ? { connection: result.data, problems: [] } : { problems: problems.list };
}

/** checkConnection, throwing ConnectionConfigError listing every problem (for callers that cannot return a list). */
export function parseConnection(input: unknown, field: string, opts: { allowPath?: boolean } = {}): ClusterConnection {
  const { connection, problems } = checkConnection(input, field, opts);
  if (connection === undefined)
    throw new ConnectionConfigError(problems.map((p) => ({ field: p.property, message: p.reason })));
  return connection;
}
