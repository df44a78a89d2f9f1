import { describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../provider/connection/types";
import { replacingProperties } from "../../provider/reindex/provider";
import { plain } from "../../provider/shared/results";
import { progressLine } from "../../provider/reindex/progress";
import { reindexRequest } from "../../provider/reindex/request";
import {
  allowListMatches,
  allowListProblems,
  allowListSetting,
  allowListsByNode,
  fieldTypes,
  rangeFieldProblems,
  versionProblems,
} from "../../provider/reindex/rules";
import { describesDestination, parseTask } from "../../provider/reindex/tasks";
import { validateInputs } from "../../provider/reindex/validate";

const es = (version: string): ClusterInfo => ({
  flavor: "elasticsearch",
  version,
  major: Number(version.split(".")[0]),
  minor: Number(version.split(".")[1]),
});
const os = (version: string): ClusterInfo => ({ ...es(version), flavor: "opensearch" });

describe("version rules", () => {
  it.each([
    [es("7.10.2"), os("2.19.1"), []],
    [es("7.10.2"), os("3.9.0"), []],
    // Measured on real nodes: 6.8.23 -> OpenSearch 3.9.0 copies (test/e2e/engine-pairs.test.ts).
    [es("6.8.23"), os("3.9.0"), []],
    [os("1.3.20"), os("2.19.6"), []],
    [os("2.19.6"), os("3.9.0"), []],
    [os("3.9.0"), os("2.19.6"), [/source runs OpenSearch 3.9.0, newer than/]],
    [es("6.8.23"), es("7.10.2"), []],
    [es("7.10.2"), es("7.10.2"), []],
    [os("1.3.0"), es("7.10.2"), [/source runs OpenSearch 1.3.0, newer than/]],
    [es("7.10.2"), es("6.8.23"), [/major version must be at most/]],
    // Alibaba Cloud 5.5 / 6.3 instances and self-managed 5.x / 6.x nodes remote-reindex: the 6.7 floor is AWS's.
    [es("5.6.0"), es("6.5.0"), []],
    [es("5.5.3"), es("5.5.3"), []],
    [es("5.6.0"), es("6.3.2"), []],
    [es("2.4.6"), es("2.4.6"), [/remote reindex came with Elasticsearch 5.0/]],
    [es("8.11.0"), os("2.19.1"), [/not a documented path; use transport: "client"/]],
    [es("8.11.0"), es("9.0.0"), []],
  ])("%o -> %o (self-managed or Alibaba Cloud)", (src, dest, expected) => {
    const problems = versionProblems(dest, src);
    expect(problems.length).toBe(expected.length);
    expected.forEach((re, i) => expect(problems[i]).toMatch(re));
  });

  it.each([
    [
      es("6.5.0"),
      [/Amazon OpenSearch Service needs 6.7 or newer \(or OpenSearch\); upgrade the domain or use transport: "client"/],
    ],
    [es("5.6.0"), [/Amazon OpenSearch Service needs 6.7/]],
    [es("6.7.0"), []],
    [os("1.3.0"), []],
  ])("Amazon OpenSearch Service destination %o", (dest, expected) => {
    const problems = versionProblems(dest, undefined, { aws: true });
    expect(problems.length).toBe(expected.length);
    expected.forEach((re, i) => expect(problems[i]).toMatch(re));
  });
});

describe("allow lists", () => {
  it.each([
    ["127.0.0.1:9201", ["127.0.0.1:9201"], true],
    ["127.0.0.1:9201", ["127.0.0.1:*"], true],
    ["localhost:9201", ["127.0.0.1:*"], false],
    ["10.0.0.5:9200", ["10.0.0.*:9200", "other:1"], true],
    ["10.0.0.5:92001", ["10.0.0.5:9200"], false],
    ["ep-1.privatelink.aliyuncs.com:9200", ["*.privatelink.aliyuncs.com:9200"], true],
  ])("%s against %o -> %s", (hostPort, patterns, ok) => expect(allowListMatches(hostPort, patterns)).toBe(ok));

  it("reads each node's whitelist or allowlist from _nodes/settings and names the refusing nodes", () => {
    const lists = allowListsByNode({
      nodes: {
        a: { name: "es-1", settings: { "reindex.remote.whitelist": "127.0.0.1:9201, 10.0.0.5:9200" } },
        b: { name: "os-1", settings: { "reindex.remote.allowlist": ["127.0.0.1:9300"] } },
      },
    })!;
    expect(lists.get("es-1")).toEqual(["127.0.0.1:9201", "10.0.0.5:9200"]);
    const [problem] = allowListProblems("127.0.0.1:9201", lists, os("2.19.6"));
    expect(problem).toMatch(
      /not in reindex.remote.allowlist of the destination node\(s\) os-1 \(127.0.0.1:9300\): add "127.0.0.1:9201"/,
    );
  });

  it.each([
    [es("6.8.23"), "reindex.remote.whitelist"],
    [es("7.10.2"), "reindex.remote.whitelist"],
    // Measured: 1.3.20 refuses to start with the new name; 3.9.0 with the old one.
    [os("1.3.20"), "reindex.remote.whitelist"],
    [os("2.19.6"), "reindex.remote.allowlist"],
    [os("3.9.0"), "reindex.remote.allowlist"],
  ])("the destination %o reads %s, and the error names it", (dest, setting) => {
    expect(allowListSetting(dest)).toBe(setting);
    const [problem] = allowListProblems("10.0.0.5:9200", new Map([["n1", []]]), dest);
    expect(problem).toContain(
      `is not in ${setting} of the destination node(s) n1 (empty): add "10.0.0.5:9200" to ${setting}`,
    );
  });

  it("tells a hidden list (no node shows one) from a visible list that lacks the host", () => {
    expect(allowListsByNode({ nodes: { a: { name: "es-1", settings: { "node.name": "es-1" } } } })).toEqual(new Map());
    // One node shows a list: a node without one refuses every host.
    const mixed = allowListsByNode({
      nodes: {
        a: { name: "n1", settings: { "reindex.remote.whitelist": "10.0.0.5:9200" } },
        b: { name: "n2", settings: {} },
      },
    })!;
    expect(allowListProblems("10.0.0.5:9200", mixed, es("7.10.2"))[0]).toMatch(/destination node\(s\) n2 \(empty\)/);
    expect(allowListsByNode({ error: "forbidden" })).toBeUndefined();
  });
});

describe("tasks", () => {
  it("recognizes the reindex tasks into an index from their description", () => {
    expect(
      describesDestination("reindex from [host=127.0.0.1 port=9201 query={}][logs] to [logs-v2][_doc]", "logs-v2"),
    ).toBe(true);
    expect(describesDestination("reindex from [logs] to [logs-v2]", "logs-v2")).toBe(true);
    expect(describesDestination("reindex from [logs] to [logs-v22]", "logs-v2")).toBe(false);
  });
  it("reads the engine's failures of a finished task", () => {
    const t = parseTask({
      completed: true,
      task: { status: { total: 10, created: 3 } },
      response: {
        created: 3,
        failures: [
          { index: "d", id: "7", cause: { type: "mapper_parsing_exception", reason: "failed to parse field [n]" } },
        ],
      },
    });
    expect(t.failures).toEqual(["document 7: mapper_parsing_exception: failed to parse field [n]"]);
    const e = parseTask({
      completed: true,
      task: { status: {} },
      error: { type: "connection_closed_exception", reason: "Connection closed" },
    });
    expect(e.failures).toEqual(["connection_closed_exception: Connection closed"]);
  });
});

describe("requests and diff", () => {
  const inputs = validateInputs({
    cluster: { url: "http://127.0.0.1:9200" },
    destIndex: "d",
    source: {
      index: "s",
      size: 500,
      remote: { host: "http://127.0.0.1:9201", username: "u", password: "p", socketTimeout: "60s" },
    },
    requestsPerSecond: 1000,
    conflicts: "proceed",
  }).inputs;
  it("writes the engine's field names and starts in the background", () => {
    const r = reindexRequest(inputs, { match_all: {} });
    expect(r.body).toEqual({
      source: {
        index: "s",
        size: 500,
        query: { match_all: {} },
        remote: { host: "http://127.0.0.1:9201", username: "u", password: "p", socket_timeout: "60s" },
      },
      dest: { index: "d" },
      conflicts: "proceed",
    });
    expect(r.querystring).toMatchObject({ wait_for_completion: false, requests_per_second: 1000, slices: undefined });
  });
  it("replaces on a new index uuid or query, not on a throttle or password change", () => {
    expect(replacingProperties({ ...inputs, destIndexUuid: "a" }, { ...inputs, destIndexUuid: "b" })).toEqual([
      "destIndexUuid",
    ]);
    expect(replacingProperties(inputs, { ...inputs, source: { ...inputs.source, query: { term: { a: 1 } } } })).toEqual(
      ["source"],
    );
    expect(
      replacingProperties(inputs, {
        ...inputs,
        requestsPerSecond: 5,
        source: { ...inputs.source, remote: { ...inputs.source.remote!, password: "new" } },
      }),
    ).toEqual([]);
  });
  it("prints copied documents, rate and time left", () => {
    expect(progressLine("reindex s -> d", { done: 120_000, total: 1_000_000, elapsedSeconds: 15 })).toBe(
      "reindex s -> d: 120,000 / 1,000,000 documents (12%), 8,000 docs/s, about 1m50s left",
    );
  });
});

describe("outputs", () => {
  it("carry no undefined, which the dynamic provider host cannot send (Unexpected struct type)", () => {
    const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
    const outs = {
      status: "complete",
      watermark: undefined,
      partitionStates: [{ taskId: undefined, done: true }],
      retries: { search: 0, bulk: 0 },
    };
    expect(() => Struct.fromJavaScript(outs)).toThrow(/Unexpected struct type/);
    expect(Struct.fromJavaScript(plain(outs)).toJavaScript()).toEqual({
      status: "complete",
      partitionStates: [{ done: true }],
      retries: { search: 0, bulk: 0 },
    });
  });
});

describe("range fields", () => {
  it("reads field types from 7.x and typed 6.x mapping bodies", () => {
    expect(
      fieldTypes({ logs: { mappings: { ts: { full_name: "ts", mapping: { ts: { type: "date" } } } } } }, "ts"),
    ).toEqual(new Map([["logs", "date"]]));
    expect(
      fieldTypes(
        { old: { mappings: { _doc: { "meta.n": { full_name: "meta.n", mapping: { n: { type: "long" } } } } } } },
        "meta.n",
      ),
    ).toEqual(new Map([["old", "long"]]));
  });
  it("refuses a missing or non-range field, naming the property", () => {
    expect(rangeFieldProblems("partitions.field", "ts", new Map(), "logs")[0]).toMatch(
      /^partitions.field "ts" is not in the mapping of the source index logs/,
    );
    expect(rangeFieldProblems("mode.field", "tag", new Map([["logs", "keyword"]]), "logs")[0]).toMatch(
      /is keyword in logs: ranges need a numeric or date field/,
    );
    expect(rangeFieldProblems("mode.field", "ts", new Map([["logs", "date_nanos"]]), "logs")).toEqual([]);
  });
});
