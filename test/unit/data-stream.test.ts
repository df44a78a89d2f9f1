// Data streams: how the source's list treats a stream, its backing indices, hidden, system and dot-prefixed indices;
// the Reindex request and check of a copy into a stream; the template a stream is created from, as the destination
// takes it and as two engines' answers compare; which destinations cannot hold a stream; ClusterMigration's plan of
// its streams and their summary rows.
import { describe, expect, it } from "vitest";
import { classifyIndices, readDataStreams, type DataStreamRow } from "../../provider/indices";
import {
  cannotHoldDataStream,
  checkDataStream,
  diffDataStream,
  replacingStreamProperties,
  streamIsLive,
  updateDataStreamResource,
} from "../../provider/data-stream/provider";
import { checkDataStreamInputs } from "../../provider/data-stream/validate";
import { sameStreamTemplate, streamTemplateFor, streamTemplateProblems } from "../../provider/data-stream/template";
import { canonicalBody, translateObject } from "../../provider/objects";
import { reindexRequest } from "../../provider/reindex/request";
import { validateInputs } from "../../provider/reindex/validate";
import { externalVersioningWorks } from "../../provider/reindex/rules";
import {
  dataStreamRow,
  describeDataStreams,
  planDataStreams,
  templateOwnedByObjects,
} from "../../components/migration/data-streams";
import type { Cluster, ClusterInfo } from "../../provider/connection/types";
import { fakeCluster } from "../helpers/fake-cluster";

const row = (index: string, docs = 10, status = "open") => ({
  index,
  status,
  health: "green",
  "docs.count": String(docs),
  "pri.store.size": "100",
});
const stream = (name: string, ...backing: string[]): DataStreamRow => ({
  name,
  template: `${name}-tpl`,
  timestamp_field: { name: "@timestamp" },
  indices: backing.map((index_name) => ({ index_name })),
});

describe("listing a source with data streams", () => {
  const rows = [
    row(".ds-events-app-000001", 70),
    row(".ds-events-app-000002", 50),
    row(".kibana_1"),
    row(".tasks"),
    row("hidden-audit"),
    row(".app-config"),
    row("orders", 30),
    row("archive", 0, "close"),
  ];
  const facts = {
    hidden: new Set([".tasks", "hidden-audit", ".ds-events-app-000001", ".ds-events-app-000002"]),
    dataStreams: [stream("events-app", ".ds-events-app-000001", ".ds-events-app-000002")],
  };

  it.each([
    // name, include, what happens to it
    [".ds-events-app-000001", undefined, "part of data stream events-app"],
    [".tasks", undefined, "system"],
    ["hidden-audit", undefined, "system"],
    [".kibana_1", undefined, "system"],
    [".app-config", undefined, "system"],
    [".app-config", [".app-*", "orders"], "index"],
    [".ds-events-app-000001", [".ds-*"], "skipped with its stream (not included)"],
    ["orders", undefined, "index"],
    ["archive", undefined, "closed"],
  ])("%s (include %j) is %s", (name, include, what) => {
    const list = classifyIndices(rows, { include }, facts);
    const found = [
      ...list.indices.filter((i) => i.name === name).map(() => "index"),
      ...list.skippedSystem.filter((i) => i === name).map(() => "system"),
      ...list.skippedClosed.filter((i) => i === name).map(() => "closed"),
      ...list.dataStreams.filter((s) => s.backingIndices.includes(name)).map((s) => `part of data stream ${s.name}`),
    ];
    expect(found).toEqual(what.startsWith("skipped") ? [] : [what]);
  });

  it("lists each stream with its template, timestamp field, backing indices and documents", () => {
    expect(classifyIndices(rows, {}, { ...facts, streamDocs: new Map([["events-app", 118]]) }).dataStreams).toEqual([
      {
        name: "events-app",
        template: "events-app-tpl",
        timestampField: "@timestamp",
        backingIndices: [".ds-events-app-000001", ".ds-events-app-000002"],
        docs: 118,
        sizeBytes: 200,
      },
    ]);
    // Without a _count, the backing indices' docs.count.
    expect(classifyIndices(rows, {}, facts).dataStreams[0].docs).toBe(120);
  });

  it.each([
    [{ include: ["events-*"] }, ["events-app"], []],
    [{ exclude: ["events-app"] }, [], ["orders"]],
    [{ include: ["orders"] }, [], ["orders"]],
  ])("matches include/exclude %j against stream names", (opts, streams, indices) => {
    const list = classifyIndices(rows, opts, facts);
    expect(list.dataStreams.map((s) => s.name)).toEqual(streams);
    expect(list.indices.map((i) => i.name)).toEqual(indices);
  });
});

describe("reading a source's data streams", () => {
  const answering = (info: ClusterInfo, answer: () => unknown): Cluster =>
    fakeCluster(() => answer(), { label: "source", info });
  const es710: ClusterInfo = { flavor: "elasticsearch", version: "7.10.2", major: 7, minor: 10 };
  const refused = (status: number) => () => {
    throw Object.assign(new Error(`${status}`), { status });
  };

  it.each([
    [
      "Elasticsearch 7.8 (before data streams)",
      { ...es710, version: "7.8.1", minor: 8 },
      () => ({ data_streams: [] }),
      undefined,
    ],
    ["Elasticsearch OSS (the path read as an index name: 400)", es710, refused(400), undefined],
    [
      "OpenSearch 1.3",
      { flavor: "opensearch", version: "1.3.20", major: 1, minor: 3 },
      () => ({ data_streams: [{ name: "a" }] }),
      [{ name: "a" }],
    ],
  ] as [string, ClusterInfo, () => unknown, unknown][])("%s: %j", async (_what, info, answer, expected) => {
    expect(await readDataStreams(answering(info, answer))).toEqual(expected);
  });

  it("fails on what is not a missing API (a refused user, a cluster error)", async () => {
    await expect(readDataStreams(answering(es710, refused(403)))).rejects.toThrow("403");
    await expect(readDataStreams(answering(es710, refused(500)))).rejects.toThrow("500");
  });
});

describe("a copy into a data stream", () => {
  const base = {
    cluster: { url: "http://127.0.0.1:9200" },
    destIndex: "events-app",
    source: { index: "events-app", remote: { host: "http://10.0.0.5:9200" } },
  };
  const incremental = { type: "incremental", field: "@timestamp" };

  it("writes with op_type create, conflicts proceed and no external version, in incremental windows", () => {
    const { inputs, failures } = validateInputs({ ...base, dataStream: true, mode: incremental });
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({
      opType: "create",
      conflicts: "proceed",
      dataStream: true,
      mode: { ...incremental, lookback: "5m" },
    });
    const opensearch: ClusterInfo = { flavor: "opensearch", version: "2.19.6", major: 2, minor: 19 };
    expect(externalVersioningWorks(opensearch, opensearch, inputs.opType)).toBe(false);
    const req = reindexRequest(inputs, { range: { "@timestamp": { gte: 1 } } });
    expect(req.body).toEqual({
      source: {
        index: "events-app",
        query: { range: { "@timestamp": { gte: 1 } } },
        remote: { host: "http://10.0.0.5:9200" },
      },
      dest: { index: "events-app", op_type: "create" },
      conflicts: "proceed",
    });
  });

  it.each([
    [{ dataStream: true, opType: "index" }, "opType", /a data stream takes op_type "create" only/],
    [{ dataStream: true, conflicts: "abort" }, "conflicts", /version conflicts of op_type "create"/],
    [{ dataStream: "yes" }, "dataStream", /must be true/],
  ])("refuses %j, naming the field", (change, property, reason) => {
    const { failures } = validateInputs({ ...base, mode: incremental, ...change });
    expect(failures.find((f) => f.property === property)?.reason).toMatch(reason);
  });

  it("still refuses op_type create with incremental windows into an index (updates would be skipped)", () => {
    expect(
      validateInputs({ ...base, opType: "create", conflicts: "proceed", mode: incremental }).failures.map(
        (f) => f.property,
      ),
    ).toEqual(["opType"]);
  });
});

describe("the template a stream is created from", () => {
  const es710: ClusterInfo = { flavor: "elasticsearch", version: "7.10.2", major: 7, minor: 10 };
  const os219: ClusterInfo = { flavor: "opensearch", version: "2.19.6", major: 2, minor: 19 };
  // As GET _index_template answers on Elasticsearch 7.10 (settings nested, as strings).
  const fromEs = {
    index_patterns: ["events-*"],
    composed_of: [],
    priority: 100,
    template: {
      settings: { index: { number_of_shards: "1", lifecycle: { name: "logs-policy" } } },
      mappings: { properties: { msg: { type: "keyword" } } },
    },
    data_stream: { hidden: false },
  };

  it("leaves out Elasticsearch ILM for OpenSearch and says so, with data_stream as OpenSearch takes it", () => {
    const obj = {
      kind: "indexTemplate" as const,
      name: "events-tpl",
      body: canonicalBody("indexTemplate", fromEs, es710).body,
    };
    const t = translateObject(obj, { sourceInfo: es710, destInfo: os219 });
    expect(streamTemplateFor(t.body, os219)).toEqual({
      index_patterns: ["events-*"],
      priority: 100,
      template: { settings: { "index.number_of_shards": "1" }, mappings: { properties: { msg: { type: "keyword" } } } },
      data_stream: {},
    });
    expect(t.dropped.join("; ")).toMatch(/index\.lifecycle\.name: OpenSearch has no index lifecycle management/);
  });

  it.each([
    [
      "OpenSearch's custom timestamp field, for OpenSearch",
      { timestamp_field: { name: "ts" } },
      os219,
      { timestamp_field: { name: "ts" } },
    ],
    ["hidden, for Elasticsearch 7.11+", { hidden: true }, { ...es710, version: "7.17.0", minor: 17 }, { hidden: true }],
    ["no hidden for Elasticsearch 7.10 (it has no such option)", { hidden: true }, es710, {}],
    ["no custom timestamp field for Elasticsearch (always @timestamp)", { timestamp_field: { name: "ts" } }, es710, {}],
  ])("keeps %s", (_what, ds, dest, expected) => {
    expect(streamTemplateFor({ index_patterns: ["x-*"], data_stream: ds }, dest).data_stream).toEqual(expected);
  });

  it("compares what was put with what the destination answers as the same body", () => {
    const put = canonicalBody("indexTemplate", {
      index_patterns: ["events-*"],
      priority: 100,
      data_stream: {},
      template: { settings: { "index.number_of_shards": 1 }, mappings: { properties: { msg: { type: "keyword" } } } },
    }).body;
    const raw = {
      index_patterns: ["events-*"],
      composed_of: [],
      priority: 100,
      data_stream: { timestamp_field: { name: "@timestamp" } },
      template: {
        settings: { index: { number_of_shards: "1" } },
        mappings: { properties: { msg: { type: "keyword" } } },
      },
    };
    expect(sameStreamTemplate(put, canonicalBody("indexTemplate", raw, os219).body)).toBe(true);
    expect(sameStreamTemplate(put, canonicalBody("indexTemplate", { ...raw, priority: 200 }, os219).body)).toBe(false);
  });

  it.each([
    [{ index_patterns: ["events-*"] }, /has no data_stream/],
    [{ index_patterns: ["logs-*"], data_stream: {} }, /none of which matches "events-app"/],
    [{ index_patterns: ["events-*"], data_stream: {}, composed_of: ["base"] }, /composed of base, which is not given/],
  ])("refuses a template that cannot create the stream: %j", (body, reason) => {
    expect(streamTemplateProblems("events-app", { name: "t", body, components: {} }).join("; ")).toMatch(reason);
  });
});

describe("DataStream inputs and destinations", () => {
  it.each([
    [
      { flavor: "elasticsearch", version: "7.8.1", major: 7, minor: 8 },
      /Elasticsearch 7\.8\.1, which cannot hold data stream "events-app" \(data streams came with Elasticsearch 7\.9/,
    ],
    [{ flavor: "elasticsearch", version: "6.8.23", major: 6, minor: 8 }, /cannot hold data stream/],
    [{ flavor: "elasticsearch", version: "7.9.0", major: 7, minor: 9 }, undefined],
    [{ flavor: "opensearch", version: "1.0.0", major: 1, minor: 0 }, undefined],
  ] as [ClusterInfo, RegExp | undefined][])("a destination running %j", (info, reason) => {
    const said = cannotHoldDataStream("events-app", info);
    if (reason === undefined) expect(said).toBeUndefined();
    else expect(said).toMatch(reason);
  });

  it.each([
    [{ name: "events-app" }, "cluster", /cluster is required/],
    [{ cluster: { url: "http://d:9200" }, name: "Events" }, "name", /uppercase/],
    [{ cluster: { url: "http://d:9200" }, name: "events-app" }, "template", /template or copyFrom is required/],
    [
      {
        cluster: { url: "http://d:9200" },
        name: "events-app",
        copyFrom: { cluster: { url: "http://s:9200" } },
        templates: {},
      },
      "templates",
      /not a field of DataStream/,
    ],
    [
      {
        cluster: { url: "http://d:9200" },
        name: "events-app",
        copyFrom: { cluster: { url: "http://s:9200" } },
        adoptExisting: "yes",
      },
      "adoptExisting",
      /adoptExisting must be true or false/,
    ],
    [
      { cluster: { url: "http://d:9200" }, name: "events-app", copyFrom: "http://s:9200" },
      "copyFrom",
      /copyFrom must be \{ cluster, name\? \}/,
    ],
    [
      { cluster: { url: "http://d:9200" }, name: "events-app", template: "events-tpl" },
      "template",
      /template must be \{ name, body, components\? \}/,
    ],
    [
      { cluster: { url: "http://d:9200" }, name: "events-app", template: { name: "t" } },
      "template.body",
      /template\.body/,
    ],
    [
      { cluster: { url: "http://d:9200" }, name: "events-app", copyFrom: { cluster: { url: "http://s" } } },
      "copyFrom.cluster.url",
      /copyFrom\.cluster\.url "http:\/\/s" has no port/,
    ],
  ])("refuses %j, naming the field", (raw, property, reason) => {
    const failure = checkDataStreamInputs(raw).problems.find((f) => f.property === property);
    expect(failure?.reason).toMatch(reason);
  });

  it("takes manageTemplate false without copyFrom or template, and refuses it beside a declared template", () => {
    const base = { cluster: { url: "http://d:9200" }, name: "events-app" };
    expect(checkDataStreamInputs({ ...base, manageTemplate: false })).toMatchObject({
      problems: [],
      inputs: { manageTemplate: false },
    });
    const both = checkDataStreamInputs({
      ...base,
      manageTemplate: false,
      template: { name: "t", body: { index_patterns: ["events-*"], data_stream: {} } },
    });
    expect(both.problems.find((p) => p.property === "template")?.reason).toMatch(
      /manageTemplate is false: declare the template on its own resource/,
    );
    expect(
      checkDataStreamInputs({ ...base, manageTemplate: false, phase: "done" }).problems.find(
        (p) => p.property === "phase",
      )?.reason,
    ).toMatch(/"sync".*"cutover-done"/);
  });

  it("replaces on another cluster or name only", () => {
    const olds = { cluster: { url: "http://d:9200" }, name: "events-app" };
    expect(replacingStreamProperties(olds, { ...olds, adoptExisting: true })).toEqual([]);
    expect(replacingStreamProperties(olds, { cluster: { url: "http://e:9200" }, name: "events-web" })).toEqual([
      "cluster",
      "name",
    ]);
  });
});

describe('a DataStream once cut over (phase "cutover-done")', () => {
  const olds = {
    cluster: { url: "http://127.0.0.1:9" },
    name: "events-app",
    uuid: "u1",
    timestampField: "@timestamp",
    backingIndices: [".ds-events-app-000001"],
    templateName: "events",
    adopted: false,
    template: { name: "events", body: { index_patterns: ["events-*"], data_stream: {} }, components: {} },
  };

  it("is live only with that phase", () => {
    expect(streamIsLive({ phase: "cutover-done" })).toBe(true);
    expect(streamIsLive({ phase: "sync" })).toBe(false);
    expect(streamIsLive({})).toBe(false);
  });

  it("plans nothing, even for a template the application changed or another name, and its update writes nothing", async () => {
    const news = {
      cluster: olds.cluster,
      name: "events-web",
      template: { ...olds.template, body: { ...olds.template.body, priority: 5 } },
      phase: "cutover-done" as const,
    };
    expect(await diffDataStream(olds, news)).toEqual({ changes: false });
    // The destination (port 9) does not answer: any write would fail.
    expect((await updateDataStreamResource("events-app", olds, { ...news, name: "events-app" })).outs).toMatchObject({
      uuid: "u1",
      phase: "cutover-done",
    });
  });
});

describe("ClusterMigration's data streams", () => {
  it("leaves a stream's template to the objects' IndexTemplate child when the objects declare it, else to the DataStream", () => {
    expect(templateOwnedByObjects({ template: "events" }, new Set(["events", "orders"]))).toBe(true);
    expect(templateOwnedByObjects({ template: "events" }, new Set(["orders"]))).toBe(false);
  });

  const streams = [
    {
      name: "events-app",
      template: "events-tpl",
      timestampField: "@timestamp",
      backingIndices: [".ds-events-app-000001"],
      docs: 120,
      sizeBytes: 1,
    },
  ];

  it("copies each stream in windows on its timestamp field, with the defaults' copy options and the stream's override", () => {
    const plan = planDataStreams(streams, {
      defaults: {
        mode: { type: "incremental", field: "ts", lookback: "10m" },
        verify: "content",
        partitions: { field: "ts", count: 4 },
        settings: { number_of_shards: 3 },
      },
      overrides: { "events-app": { requestsPerSecond: 500, adoptExisting: true } },
    });
    expect(plan.streams).toEqual([
      {
        name: "events-app",
        template: "events-tpl",
        timestampField: "@timestamp",
        docs: 120,
        adoptExisting: true,
        copy: {
          verify: "content",
          requestsPerSecond: 500,
          mode: { type: "incremental", field: "@timestamp", lookback: "10m" },
        },
      },
    ]);
    expect(describeDataStreams("cm", plan)).toBe(
      'ClusterMigration "cm": 1 data stream, 120 documents at the source: events-app (120, template events-tpl, windows on @timestamp)',
    );
  });

  it("leaves the streams out with objects.dataStreams false, and says so", () => {
    const plan = planDataStreams(streams, { objects: { dataStreams: false } });
    expect(plan).toEqual({ streams: [], left: ["events-app"] });
    expect(describeDataStreams("cm", plan)).toBe(
      'ClusterMigration "cm": data streams left out (objects.dataStreams is false): events-app',
    );
  });

  it.each([
    [
      "a complete, checked run",
      { status: "complete", verification: { level: "ids", sourceCount: 5, destCount: 6 } },
      true,
    ],
    ["a failed run", { status: "failed", verification: { level: "ids", sourceCount: 5, destCount: 5 } }, false],
    ["a run not checked yet", { status: "complete" }, false],
    [
      "counts that fall short",
      { status: "complete", verification: { level: "count", sourceCount: 5, destCount: 4 } },
      false,
    ],
  ] as const)("a stream's summary row after %s says verified: %s", (_what, copy, verified) => {
    expect(dataStreamRow("events-app", "u1", copy as any)).toMatchObject({
      index: "events-app",
      destIndex: "events-app",
      uuid: "u1",
      dataStream: true,
      verified,
    });
  });
});

describe("DataStream's check against the clusters (preview)", () => {
  const os13: ClusterInfo = { flavor: "opensearch", version: "1.3.20", major: 1, minor: 3 };
  const template = {
    index_patterns: ["events-*"],
    composed_of: [],
    priority: 100,
    data_stream: { timestamp_field: { name: "@timestamp" } },
    template: { mappings: { properties: { msg: { type: "keyword" } } } },
  };
  /** A cluster answering GET requests from `answers` by path (404 otherwise), with a data stream API unless `api` is false. */
  const fake = (info: ClusterInfo, answers: Record<string, unknown>, api = true): Cluster =>
    fakeCluster(
      (req) => {
        if (req.path in answers) return answers[req.path];
        if (req.path === "/_data_stream" && api) return { data_streams: [] };
        if (req.ignore?.includes(404)) return undefined;
        throw Object.assign(new Error(`404 ${req.path}`), { status: 404 });
      },
      { label: `${info.flavor} ${info.version}`, info },
    );
  const source = fake(os13, {
    "/_data_stream/events-app": {
      data_streams: [
        {
          name: "events-app",
          template: "events-tpl",
          timestamp_field: { name: "@timestamp" },
          indices: [{ index_name: ".ds-events-app-000001", index_uuid: "u" }],
        },
      ],
    },
    "/_index_template/events-tpl": { index_templates: [{ name: "events-tpl", index_template: template }] },
  });
  const news = {
    cluster: { url: "http://dest:9200" },
    name: "events-app",
    copyFrom: { cluster: { url: "http://src:9200" } },
  };
  const check = (dest: Cluster) =>
    checkDataStream(news, {}, (conn) => (conn.url === "http://src:9200" ? source : dest));

  it("fills in the source stream's template as the destination takes it", async () => {
    const { inputs, problems } = await check(
      fake({ flavor: "opensearch", version: "2.19.6", major: 2, minor: 19 }, {}),
    );
    expect(problems).toEqual([]);
    expect(inputs.template).toEqual({
      name: "events-tpl",
      body: {
        index_patterns: ["events-*"],
        priority: 100,
        data_stream: {},
        template: { mappings: { properties: { msg: { type: "keyword" } } } },
      },
      components: {},
    });
  });

  it("is a preview error naming the stream when the destination cannot hold a data stream", async () => {
    const { problems } = await check(fake({ flavor: "elasticsearch", version: "7.8.1", major: 7, minor: 8 }, {}));
    expect(problems).toEqual([
      {
        property: "cluster",
        reason: expect.stringMatching(/Elasticsearch 7\.8\.1, which cannot hold data stream "events-app"/),
      },
    ]);
  });

  it("is a preview error naming the stream when the destination has no data stream API (Elasticsearch OSS)", async () => {
    const { problems } = await check(
      fake({ flavor: "elasticsearch", version: "7.10.2", major: 7, minor: 10 }, {}, false),
    );
    expect(problems).toEqual([
      {
        property: "cluster",
        reason: expect.stringMatching(
          /Elasticsearch 7\.10\.2 without a data stream API .* cannot hold data stream "events-app"/,
        ),
      },
    ]);
  });

  it("is a preview error naming the template when the destination has one of that name with another body, and the stream when it exists", async () => {
    const dest = fake(
      { flavor: "opensearch", version: "2.19.6", major: 2, minor: 19 },
      {
        "/_index_template/events-tpl": {
          index_templates: [{ name: "events-tpl", index_template: { ...template, priority: 5 } }],
        },
        "/_data_stream/events-app": { data_streams: [{ name: "events-app", template: "events-tpl", indices: [] }] },
      },
    );
    const { problems } = await check(dest);
    expect(problems.map((p) => p.property)).toEqual(["name", "template"]);
    expect(problems[1].reason).toMatch(
      /index template "events-tpl" exists at the destination with another body: set adoptExisting: true .* or remove or rename/,
    );
  });

  it("is a preview error when the source stream's template is gone", async () => {
    const orphan = fake(os13, {
      "/_data_stream/events-app": { data_streams: [{ name: "events-app", template: "gone-tpl", indices: [] }] },
    });
    const { problems } = await checkDataStream(news, {}, (conn) =>
      conn.url === "http://src:9200" ? orphan : fake(os13, {}),
    );
    expect(problems).toEqual([
      {
        property: "template",
        reason: expect.stringMatching(
          /created from template "gone-tpl", but index template "gone-tpl" is not on the source: .*declare template/,
        ),
      },
    ]);
  });
});
