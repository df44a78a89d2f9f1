// The AWS planning functions: version rules, remote host, `remote` options, rule descriptions, connection alias.
import { describe, expect, it } from "vitest";
import {
  checkRemoteReindexVersions,
  connectionAlias,
  ingressDescription,
  parseEngineVersion,
  planRemoteHost,
  planRemoteOptions,
} from "../../components/aws/plan";

describe("parseEngineVersion", () => {
  it.each([
    ["OpenSearch_2.11", { flavor: "opensearch", major: 2, minor: 11 }],
    ["Elasticsearch_7.10", { flavor: "elasticsearch", major: 7, minor: 10 }],
    ["7.10.2", { flavor: "elasticsearch", major: 7, minor: 10 }],
    ["6.8", { flavor: "elasticsearch", major: 6, minor: 8 }],
    ["opensearch 2.19.1", { flavor: "opensearch", major: 2, minor: 19 }],
  ])("%s", (raw, expected) => expect(parseEngineVersion(raw)).toEqual(expected));

  it.each(["", "latest", "OpenSearch_2", "Solr_9.1"])("refuses %j", (raw) => {
    expect(() => parseEngineVersion(raw)).toThrow(/is not an engine version/);
  });
});

describe("checkRemoteReindexVersions", () => {
  it.each([
    // [source, destination, expected error or undefined]
    ["7.10.2", "OpenSearch_2.11", undefined],
    ["6.8.23", "OpenSearch_1.3", undefined],
    ["5.6.16", "Elasticsearch_7.10", undefined],
    ["Elasticsearch_7.10", "Elasticsearch_7.9", undefined], // majors only
    ["OpenSearch_1.3", "OpenSearch_2.11", undefined],
    ["OpenSearch_2.11", "OpenSearch_2.11", undefined],
    // The pairs run end to end on real nodes (test/e2e/engine-pairs.test.ts).
    ["7.10.2", "OpenSearch_3.1", undefined],
    ["6.8.23", "OpenSearch_3.1", undefined],
    ["OpenSearch_2.19", "OpenSearch_3.1", undefined],
    ["OpenSearch_3.1", "OpenSearch_2.19", /OpenSearch 3\.1 -> OpenSearch 2\.19: the source's major/],
    ["6.8.23", "Elasticsearch_6.7", undefined],
    [undefined, "OpenSearch_2.11", undefined],
    [
      "7.10.2",
      "Elasticsearch_6.8",
      /Elasticsearch 7\.10 -> Elasticsearch 6\.8: the source's major version must be lower/,
    ],
    ["OpenSearch_2.11", "OpenSearch_1.3", /OpenSearch 2\.11 -> OpenSearch 1\.3: the source's major/],
    ["OpenSearch_1.3", "Elasticsearch_7.10", /OpenSearch 1\.3 -> Elasticsearch 7\.10: the source's major/],
    [
      "8.11.0",
      "OpenSearch_2.11",
      /Elasticsearch 8\.11 -> OpenSearch 2\.11: Elasticsearch 8\+ sources are not on OpenSearch's version line/,
    ],
    ["8.11.0", "Elasticsearch_7.10", /the source's major/],
    [undefined, "Elasticsearch_6.5", /Elasticsearch 6\.5; remote reindex .* needs 6\.7 or newer/],
    ["5.6.16", "Elasticsearch_5.6", /needs 6\.7 or newer/],
  ] as Array<[string | undefined, string, RegExp | undefined]>)("%s -> %s", (source, destination, expected) => {
    const errors = checkRemoteReindexVersions(source, destination);
    if (expected === undefined) expect(errors).toEqual([]);
    else {
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(expected);
    }
  });
});

describe("planRemoteHost", () => {
  it.each([
    ["https://es-proxy.example.com", 443, true, "https://es-proxy.example.com:443"],
    ["es-proxy.example.com", 443, true, "https://es-proxy.example.com:443"],
    ["es-proxy.example.com", 9243, true, "https://es-proxy.example.com:9243"],
    ["https://es-proxy.example.com:443/", 443, true, "https://es-proxy.example.com:443"],
    ["https://es-proxy.example.com/es", 443, true, "https://es-proxy.example.com:443/es"],
    ["10.0.3.7", 9200, false, "http://10.0.3.7:9200"],
    ["http://10.0.3.7:9200", 9200, undefined, "http://10.0.3.7:9200"],
    ["vpc-src-abc.eu-west-1.es.amazonaws.com", 443, false, "https://vpc-src-abc.eu-west-1.es.amazonaws.com:443"],
  ] as Array<[string, number, boolean | undefined, string]>)(
    "%s port %d external %s -> %s",
    (host, port, external, expected) => {
      expect(planRemoteHost(host, port, external).remoteHost).toBe(expected);
    },
  );

  it.each([
    ["http://es.example.com", 80, true, /external sources must be reached over https/],
    ["https://es.example.com:9200", 443, true, /says port 9200 but source.port is 443/],
    ["https://u:secret@es.example.com", 443, true, /carries credentials/],
    ["es.example.com/path", 443, true, /neither a host name nor a URL/],
    ["ftp://es.example.com", 21, false, /is not http or https/],
    ["es.example.com", 0, false, /source.port must be an integer/],
  ] as Array<[string, number, boolean, RegExp]>)("refuses %s port %d", (host, port, external, message) => {
    expect(() => planRemoteHost(host, port, external)).toThrow(message);
    expect(() => planRemoteHost(host, port, external)).not.toThrow(/secret/);
  });
});

describe("planRemoteOptions", () => {
  it.each([
    [true, undefined, "eu-west-1", { external: true }],
    [false, undefined, "eu-west-1", {}],
    [undefined, "eu-west-1", "eu-west-1", {}],
    [undefined, "us-east-1", "eu-west-1", { region: "us-east-1" }],
  ] as Array<[boolean | undefined, string | undefined, string, object]>)(
    "external %s, source region %s, destination %s -> %j",
    (external, src, dest, expected) => {
      expect(planRemoteOptions(external, src, dest)).toEqual(expected);
    },
  );
});

describe("ingressDescription and connectionAlias", () => {
  it("describes the rule within EC2's description alphabet", () => {
    const d = ingressDescription("logs<prod>", "sg-123", 9200);
    expect(d).toBe("OpenSearch domain logs_prod_ (sg-123) to source port 9200 for remote reindex");
  });

  it.each([
    ["mig", "mig"],
    ["1st-migration", "r1st-migration"],
    ["a.very.long.migration.name.here", "a-very-long-migratio"],
    ["x", "xx"],
  ])("alias for %s is %s", (name, alias) => expect(connectionAlias(name)).toBe(alias));
});
