import { describe, expect, it } from "vitest";
import { ConnectionConfigError, UNKNOWN, containsUnknown, isUnknown, parseConnection } from "../../provider/connection";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

function problemsOf(input: unknown, field = "cluster", opts?: { allowPath?: boolean }): ConnectionConfigError {
  try {
    parseConnection(input, field, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectionConfigError);
    return e as ConnectionConfigError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe("parseConnection accepts", () => {
  it.each([
    ["plain http with port", { url: "http://10.0.0.5:9200" }, { url: "http://10.0.0.5:9200" }],
    ["a trailing slash, dropped", { url: "http://localhost:9200/" }, { url: "http://localhost:9200" }],
    [
      "a path prefix behind a proxy",
      { url: "https://proxy.example.com:443/es/" },
      { url: "https://proxy.example.com:443/es" },
    ],
    ["IPv6 in brackets", { url: "http://[::1]:9200" }, { url: "http://[::1]:9200" }],
    [
      "basic auth",
      { url: "http://h:9200", username: "elastic", password: "pw" },
      { url: "http://h:9200", username: "elastic", password: "pw" },
    ],
    [
      "a base64 API key as is",
      { url: "http://h:9200", apiKey: "aWQ6a2V5" },
      { url: "http://h:9200", apiKey: "aWQ6a2V5" },
    ],
    [
      "an id:key API key, base64-encoded",
      { url: "http://h:9200", apiKey: "id:key" },
      { url: "http://h:9200", apiKey: Buffer.from("id:key").toString("base64") },
    ],
    [
      "AWS with region and service",
      { url: "https://search-x.eu-west-1.es.amazonaws.com:443", aws: { region: "eu-west-1", service: "aoss" } },
      { url: "https://search-x.eu-west-1.es.amazonaws.com:443", aws: { region: "eu-west-1", service: "aoss" } },
    ],
    ["a CA certificate over https", { url: "https://h:9200", caCert: PEM }, { url: "https://h:9200", caCert: PEM }],
    [
      "custom headers",
      { url: "http://h:9200", headers: { "x-tenant": "blue" } },
      { url: "http://h:9200", headers: { "x-tenant": "blue" } },
    ],
  ])("%s", (_name, input, expected) => {
    expect(parseConnection(input, "cluster")).toEqual(expected);
  });
});

describe("parseConnection rejects, naming the field and the fix", () => {
  it.each([
    [
      "a URL without scheme",
      { url: "localhost:9200" },
      "cluster.url",
      'add http:// or https://, e.g. "http://localhost:9200"',
    ],
    [
      "a host:443 without scheme, suggesting https",
      { url: "search-x.es.amazonaws.com:443" },
      "cluster.url",
      "https://search-x.es.amazonaws.com:443",
    ],
    ["an unsupported scheme", { url: "ftp://h:9200" }, "cluster.url", "use http:// or https://"],
    ["http without port", { url: "http://10.0.0.5" }, "cluster.url", '"http://10.0.0.5:9200"'],
    [
      "an AWS endpoint without port",
      { url: "https://search-x.eu-west-1.es.amazonaws.com" },
      "cluster.url",
      ':443" (Amazon OpenSearch Service listens on 443)',
    ],
    ["aws set and no port", { url: "https://vpc-x.example:", aws: { region: "eu-west-1" } }, "cluster.url", ":443"],
    ["https without port", { url: "https://es.internal" }, "cluster.url", "9200"],
    ["a port out of range", { url: "http://h:99999" }, "cluster.url", "1 to 65535"],
    ["a query string", { url: "http://h:9200/?pretty" }, "cluster.url", "query string"],
    ["credentials in the URL", { url: "http://elastic:pw@h:9200" }, "cluster.url", "set username and password instead"],
    ["an empty URL", { url: "" }, "cluster.url", "give the cluster's URL"],
    ["spaces around the URL", { url: " http://h:9200" }, "cluster.url", "remove them"],
    ["a missing URL", {}, "cluster.url", "is required"],
    ["a URL that is not a string", { url: 9200 }, "cluster.url", "must be a string"],
    [
      "http to an AWS endpoint",
      { url: "http://search-x.eu-west-1.es.amazonaws.com:443", aws: { region: "eu-west-1" } },
      "cluster.url",
      "HTTPS only",
    ],
    ["password without username", { url: "http://h:9200", password: "pw" }, "cluster.password", "set username too"],
    [
      "username without password",
      { url: "http://h:9200", username: "elastic" },
      "cluster.username",
      "set password too",
    ],
    [
      "basic auth and an API key",
      { url: "http://h:9200", username: "u", password: "p", apiKey: "k" },
      "cluster.apiKey",
      "either apiKey or username and password",
    ],
    [
      "aws and basic auth",
      { url: "https://h:443", username: "u", password: "p", aws: { region: "eu-west-1" } },
      "cluster.aws",
      "remove username and password",
    ],
    [
      "aws and an API key",
      { url: "https://h:443", apiKey: "k", aws: { region: "eu-west-1" } },
      "cluster.aws",
      "remove apiKey",
    ],
    ["aws without region", { url: "https://h:443", aws: {} }, "cluster.aws.region", "is required"],
    ["a malformed region", { url: "https://h:443", aws: { region: "Frankfurt" } }, "cluster.aws.region", '"eu-west-1"'],
    [
      "an unknown AWS service",
      { url: "https://h:443", aws: { region: "eu-west-1", service: "s3" } },
      "cluster.aws.service",
      '"aoss"',
    ],
    ["a CA given as a file path", { url: "https://h:9200", caCert: "/etc/ca.pem" }, "cluster.caCert", "readFileSync"],
    ["a CA with http", { url: "http://h:9200", caCert: PEM }, "cluster.caCert", "use https://"],
    [
      "insecureSkipVerify with http",
      { url: "http://h:9200", insecureSkipVerify: true },
      "cluster.insecureSkipVerify",
      "use https://",
    ],
    [
      "an Authorization header",
      { url: "http://h:9200", headers: { Authorization: "Basic x" } },
      "cluster.headers",
      "use username/password, apiKey or aws",
    ],
    [
      "a header value with a line break",
      { url: "http://h:9200", headers: { "x-a": "1\r\nx-b: 2" } },
      "cluster.headers",
      "remove it",
    ],
    [
      "a misspelled field",
      { url: "http://h:9200", pasword: "pw" },
      "cluster",
      "a connection takes url, username, password",
    ],
    ["not an object", "http://h:9200", "cluster", "must be an object like"],
  ])("%s", (_name, input, field, fix) => {
    const err = problemsOf(input);
    const problem = err.problems.find((p) => p.field === field);
    expect(problem, `problems: ${err.message}`).toBeDefined();
    expect(problem!.message.startsWith(field)).toBe(true);
    expect(problem!.message).toContain(fix);
  });

  it("names the nested field it was given, e.g. copyFrom.cluster", () => {
    expect(problemsOf({ url: "h:9200" }, "copyFrom.cluster").message).toMatch(/^copyFrom\.cluster\.url /);
  });

  it("lists every problem at once", () => {
    const many = problemsOf({ url: "http://h", password: "pw", aws: { region: "x" } });
    expect(many.problems.map((p) => p.field).sort()).toEqual([
      "cluster.aws",
      "cluster.aws.region",
      "cluster.password",
      "cluster.url",
    ]);
  });

  it("rejects a path where only scheme://host:port is allowed", () => {
    const err = problemsOf({ url: "http://h:9200/prefix" }, "source", { allowPath: false });
    expect(err.message).toContain('source.url "http://h:9200/prefix" has a path "/prefix", which is not allowed here');
    expect(err.message).toContain('"http://h:9200"');
    expect(parseConnection({ url: "http://h:9200/" }, "source", { allowPath: false }).url).toBe("http://h:9200");
  });

  it("never echoes a password given inside the URL", () => {
    const err = problemsOf({ url: "http://elastic:hunter2@h" });
    expect(err.message).not.toContain("hunter2");
  });
});

describe("Pulumi's unknown sentinel (preview)", () => {
  it("is recognized anywhere in a value", () => {
    expect(isUnknown(UNKNOWN)).toBe(true);
    expect(isUnknown("x")).toBe(false);
    expect(containsUnknown({ a: [1, { b: UNKNOWN }] })).toBe(true);
    expect(containsUnknown({ a: [1, { b: "c" }] })).toBe(false);
  });

  it.each([
    ["a wholly unknown connection", UNKNOWN, { url: UNKNOWN }],
    [
      "an unknown URL with basic auth",
      { url: UNKNOWN, username: "u", password: "p" },
      { url: UNKNOWN, username: "u", password: "p" },
    ],
    [
      "an unknown password",
      { url: "http://h:9200", username: "u", password: UNKNOWN },
      { url: "http://h:9200", username: "u", password: UNKNOWN },
    ],
    ["an unknown aws block", { url: "https://h:443", aws: UNKNOWN }, { url: "https://h:443", aws: UNKNOWN }],
    [
      "an unknown region",
      { url: "https://h:443", aws: { region: UNKNOWN } },
      { url: "https://h:443", aws: { region: UNKNOWN } },
    ],
    ["unknown headers", { url: "http://h:9200", headers: UNKNOWN }, { url: "http://h:9200", headers: UNKNOWN }],
  ])("passes %s through without validating it", (_name, input, expected) => {
    expect(parseConnection(input, "cluster")).toEqual(expected);
  });

  it("still validates the known parts", () => {
    expect(problemsOf({ url: UNKNOWN, password: "pw" }).problems[0].field).toBe("cluster.password");
  });
});
