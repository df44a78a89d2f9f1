import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../provider/connection/unknown";
import { validateInputs } from "../../provider/reindex/validate";

const base = () => ({
  cluster: { url: "http://127.0.0.1:9200" },
  destIndex: "logs-v2",
  source: { index: "logs", remote: { host: "http://10.0.0.5:9200" } },
});

function reasons(raw: Record<string, unknown>): string[] {
  return validateInputs(raw).failures.map((f) => f.reason);
}

describe("Reindex check", () => {
  it("accepts a plain remote copy and fills in the defaults", () => {
    const { inputs, failures } = validateInputs(base());
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({
      mode: { type: "full" },
      transport: "remote",
      verify: "ids",
      deletes: "report",
      maxDeletePercent: 5,
      timeout: 21600,
    });
  });

  it("gives an incremental mode the default look-back and reads verify true/false of earlier releases", () => {
    expect(validateInputs({ ...base(), mode: { type: "incremental", field: "ts" } }).inputs.mode).toEqual({
      type: "incremental",
      field: "ts",
      lookback: "5m",
    });
    expect(
      validateInputs({ ...base(), mode: { type: "incremental", field: "ts", lookback: 0 } }).inputs.mode,
    ).toMatchObject({ lookback: 0 });
    expect(validateInputs({ ...base(), verify: true }).inputs.verify).toBe("ids");
    expect(validateInputs({ ...base(), verify: false }).inputs.verify).toBe("count");
    expect(
      validateInputs({ ...base(), verify: "content", deletes: "reconcile", maxDeletePercent: 0.5, scroll: "2h" })
        .failures,
    ).toEqual([]);
  });

  it.each([
    ["a host without port", { host: "http://10.0.0.5" }, "source.remote.host", /no port: write it explicitly/],
    [
      "a host with a path",
      { host: "http://10.0.0.5:9200/es" },
      "source.remote.host",
      /has a path "\/es".*Alibaba Cloud refuses a path/,
    ],
    ["a host without scheme", { host: "10.0.0.5:9200" }, "source.remote.host", /no scheme/],
    [
      "a password without user",
      { host: "http://10.0.0.5:9200", password: "s3cret" },
      "source.remote.password",
      /without username/,
    ],
    [
      "a timeout without unit",
      { host: "http://10.0.0.5:9200", socketTimeout: "60" },
      "source.remote.socketTimeout",
      /time value with a unit/,
    ],
    [
      "external on a non-AWS destination",
      { host: "https://10.0.0.5:9200", external: true },
      "source.remote.external",
      /Amazon OpenSearch Service option.*remove external/,
    ],
    [
      "region on a non-AWS destination",
      { host: "https://10.0.0.5:9200", region: "eu-west-1" },
      "source.remote.region",
      /not an AWS domain/,
    ],
    [
      "an unknown remote field",
      { host: "http://10.0.0.5:9200", pathPrefix: "/x" },
      "source.remote.pathPrefix",
      /is not a remote field/,
    ],
  ])("refuses %s, naming the field and the fix", (_what, remote, property, reason) => {
    const { failures } = validateInputs({ ...base(), source: { index: "logs", remote } });
    const f = failures.find((x) => x.property === property);
    expect(f?.reason).toMatch(reason);
    expect(f?.reason.startsWith(property)).toBe(true);
  });

  it("accepts external and region when the destination is an AWS domain", () => {
    const raw = {
      ...base(),
      cluster: { url: "https://search-x.eu-west-1.es.amazonaws.com:443", aws: { region: "eu-west-1" } },
      source: {
        index: "logs",
        remote: { host: "https://src.example.com:443", external: true, username: "u", password: "p" },
      },
    };
    expect(reasons(raw)).toEqual([]);
  });

  it.each([
    ["slices > 1 with a remote source", { slices: 4 }, "slices", /doesn't support slices > 1.*use partitions/],
    [
      "partitions with a local source",
      { source: { index: "logs" }, partitions: { field: "ts", count: 4 } },
      "partitions",
      /set slices instead/,
    ],
    ["a partition count of 0", { partitions: { field: "ts", count: 0 } }, "partitions.count", /integer from 1 to 32/],
    ["a partition without field", { partitions: { field: "", count: 2 } }, "partitions.field", /numeric or date field/],
    [
      "an incremental mode without field",
      { mode: { type: "incremental" } },
      "mode.field",
      /is required for mode incremental/,
    ],
    ["an unknown mode", { mode: { type: "delta" } }, "mode", /must be \{ type: "full" \}/],
    [
      "a wrapped query",
      { source: { index: "logs", query: { query: { match_all: {} } } } },
      "source.query",
      /give the query itself/,
    ],
    ["a page size over 10000", { source: { index: "logs", size: 50_000 } }, "source.size", /from 1 to 10000/],
    ["opType create without conflicts proceed", { opType: "create" }, "opType", /set conflicts: "proceed"/],
    ["an unknown transport", { transport: "logstash" }, "transport", /"remote".*"client"/],
    ["a negative timeout", { timeout: -5 }, "timeout", /positive number of seconds/],
    ["a zero throttle", { requestsPerSecond: 0 }, "requestsPerSecond", /positive number/],
    ["an upper-case index name", { destIndex: "Logs" }, "destIndex", /lowercase/],
    ["a destination index name over 255 bytes", { destIndex: "a".repeat(256) }, "destIndex", /longer than 255 bytes/],
    ["a missing source index", { source: { remote: { host: "http://10.0.0.5:9200" } } }, "source.index", /is required/],
    ["an unknown input", { slice: 2 }, "slice", /is not a Reindex input/],
    [
      "a source cluster without remote",
      { source: { index: "logs", cluster: { url: "http://10.0.0.5:9200" } } },
      "source.cluster",
      /without source.remote.*transport: "client"/,
    ],
    ["a destination without port", { cluster: { url: "http://127.0.0.1" } }, "cluster.url", /no port/],
    [
      "a look-back that is not a duration",
      { mode: { type: "incremental", field: "ts", lookback: "five minutes" } },
      "mode.lookback",
      /must be a duration such as "5m"/,
    ],
    [
      "a negative look-back",
      { mode: { type: "incremental", field: "ts", lookback: "-5m" } },
      "mode.lookback",
      /must not be negative/,
    ],
    [
      "a negative numeric look-back",
      { mode: { type: "incremental", field: "ts", lookback: -1 } },
      "mode.lookback",
      /must not be negative/,
    ],
    [
      "a look-back on a full copy",
      { mode: { type: "missingField", field: "ts", lookback: "5m" } },
      "mode.lookback",
      /incremental mode only/,
    ],
    ["an unknown deletes policy", { deletes: "delete" }, "deletes", /"ignore", "report" .* or "reconcile"/],
    ["reconcile with count verification", { deletes: "reconcile", verify: "count" }, "deletes", /set verify: "ids"/],
    ["an unknown verify level", { verify: "hashes" }, "verify", /"count" .*"ids" .*"content"/],
    ["maxDeletePercent over 100", { deletes: "reconcile", maxDeletePercent: 150 }, "maxDeletePercent", /from 0 to 100/],
    ["maxDeletePercent below 0", { deletes: "reconcile", maxDeletePercent: -1 }, "maxDeletePercent", /from 0 to 100/],
    [
      "maxDeletePercent without reconcile",
      { maxDeletePercent: 10 },
      "maxDeletePercent",
      /only guards deletes: "reconcile"/,
    ],
    ["a scroll keep-alive without unit", { scroll: "600" }, "scroll", /time value with a unit/],
  ])("refuses %s", (_what, patch, property, reason) => {
    const { failures } = validateInputs({ ...base(), ...patch });
    expect(failures.find((x) => x.property === property)?.reason).toMatch(reason);
  });

  it("lets values Pulumi does not know yet through in preview", () => {
    const raw = {
      cluster: UNKNOWN,
      destIndex: UNKNOWN,
      destIndexUuid: UNKNOWN,
      source: { index: "logs", remote: { host: UNKNOWN, password: UNKNOWN, username: "u" } },
    };
    expect(reasons(raw)).toEqual([]);
  });

  it("allows slices on a local source and partitions with the client transport", () => {
    expect(reasons({ ...base(), source: { index: "logs" }, slices: "auto" })).toEqual([]);
    expect(reasons({ ...base(), transport: "client", partitions: { field: "ts", count: 4 } })).toEqual([]);
  });
});
