// IndexMigration and ClusterMigration under Pulumi mocks: IndexMigration's children and their wiring (uuid into the
// copy, the copy's run identity into the finish, final settings declared and restored); ClusterMigration's one
// MigratedIndex per index with its grouped options and the connections, lanes for concurrency, the source's list
// (include/exclude/overrides, system and closed indices skipped), and validation errors naming the field.
// The source's `_cat/indices` is served by a small local HTTP server (the component lists it when the program runs).
import * as http from "node:http";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeServer, listenForUrl } from "../helpers/http-server";
import { outputValue, setPulumiMocks, shortType, unwrapSecrets } from "../helpers/pulumi-mocks";

interface Created {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

const created: Created[] = [];
const events: string[] = [];
const FINISH_DELAY_MS = 40;

/** The summary a MigratedIndex (or a group's member) reports after a run that copied 100 documents. */
const summaryRow = (m: { sourceIndex: string; destIndex: string }) => ({
  index: m.sourceIndex,
  destIndex: m.destIndex,
  uuid: `uuid-${m.destIndex}`,
  sourceCount: 100,
  destCount: 100,
  created: 90,
  updated: 10,
  durationSeconds: 4,
  docsPerSecond: 25,
  verified: true,
  watermark: 42,
});

setPulumiMocks(
  {
    async newResource(args) {
      const kind = shortType(args.type);
      const inputs = unwrapSecrets(args.inputs);
      created.push({ type: kind, name: args.name, inputs });
      events.push(`start ${kind} ${args.name}`);
      const state: Record<string, any> = { ...inputs };
      if (kind === "DestinationIndex") {
        state.uuid = `uuid-${inputs.index}`;
        state.finalSettings = { "index.number_of_replicas": "1", "index.refresh_interval": "1s" };
      }
      if (kind === "Reindex") {
        const verification = {
          level: inputs.verify ?? "ids",
          sourceCount: 100,
          destCount: 103,
          missing: 0,
          extra: 3,
          differing: 0,
          repaired: 0,
          extraKept: 3,
        };
        Object.assign(state, {
          taskIds: [`node:${args.name}`],
          created: 90,
          updated: 10,
          durationSeconds: 4,
          sourceCount: 100,
          watermark: 42,
          status: "complete",
          verification,
        });
      }
      if (kind === "MigratedIndex") {
        await new Promise((r) => setTimeout(r, FINISH_DELAY_MS));
        state.summary = summaryRow(inputs);
      }
      if (kind === "MigratedIndexGroup")
        state.summary = Object.values(inputs.indices as Record<string, any>).map(summaryRow);
      if (kind === "DataStream") state.uuid = `uuid-${inputs.name}`;
      if (kind === "MigrationFinish") {
        await new Promise((r) => setTimeout(r, FINISH_DELAY_MS));
        Object.assign(state, {
          destCount: 100,
          sourceCount: inputs.verify?.sourceCount ?? null,
          verified: true,
          aliasMovedFrom: [],
        });
      }
      events.push(`end ${kind} ${args.name}`);
      return { id: `${args.name}-id`, state };
    },
    call() {
      return {};
    },
  },
  { placeholderProviders: true },
);

type Mod = typeof import("../../components/migration");
let mod: Mod;
let server: http.Server;
let destServer: http.Server;
let sourceUrl: string;
let destUrl: string;
let catRows: Record<string, string>[] = [];
let dataStreams: { name: string; template: string; indices: { index_name: string }[] }[] = [];
let catRequests: string[] = [];
/** The source's objects by list path (`/_index_template`, `/_ingest/pipeline`, ...) and its indices' pipeline settings. */
let sourceObjects: Record<string, unknown> = {};
/** The destination's answers by path (its indices, objects and ingest processors). */
let destAnswers: Record<string, unknown> = {};

const EMPTY_LISTS: Record<string, unknown> = {
  "/_component_template": { component_templates: [] },
  "/_index_template": { index_templates: [] },
  "/_template": {},
  "/_ingest/pipeline": {},
  "/_cluster/state/metadata": {},
  "/_alias": {},
  "/_nodes/ingest": { nodes: { n1: { ingest: { processors: [{ type: "set" }, { type: "script" }] } } } },
  "/_all/_settings/index.default_pipeline,index.final_pipeline": {},
  "/_cat/indices": [],
};

/** A small cluster: `GET /`, its lists, and top-level counts (`_msearch` items and `_count`) from `catRows`. */
function cluster(answers: () => Record<string, unknown>, onCat?: (url: string) => void) {
  return http.createServer((req, res) => {
    const url = req.url ?? "";
    const path = url.split("?")[0];
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      const docs = (index: string) => Number(catRows.find((r) => r.index === index)?.["docs.count"] ?? 0);
      if (path === "/_cat/indices") onCat?.(url);
      if (path === "/_msearch") {
        const heads = body
          .trim()
          .split("\n")
          .filter((_, k) => k % 2 === 0)
          .map((l) => JSON.parse(l));
        return res.end(
          JSON.stringify({
            responses: heads.map((h) => ({
              status: 200,
              _shards: { failed: 0 },
              hits: { total: { value: docs(h.index), relation: "eq" } },
            })),
          }),
        );
      }
      const count = /^\/([^/]+)\/_count$/.exec(path);
      if (count) return res.end(JSON.stringify({ count: docs(decodeURIComponent(count[1])) }));
      const known = { ...EMPTY_LISTS, ...answers() };
      res.end(JSON.stringify(path in known ? known[path] : { version: { number: "7.10.2" } }));
    });
  });
}

beforeAll(async () => {
  mod = await import("../../components/migration/index.js");
  server = cluster(
    () => ({ ...sourceObjects, "/_cat/indices": catRows, "/_data_stream": { data_streams: dataStreams } }),
    (url) => catRequests.push(url),
  );
  destServer = cluster(() => ({ "/": { version: { distribution: "opensearch", number: "2.19.1" } }, ...destAnswers }));
  sourceUrl = await listenForUrl(server);
  destUrl = await listenForUrl(destServer);
  dest.url = destUrl;
});
afterAll(async () => {
  await closeServer(server);
  await closeServer(destServer);
});
beforeEach(() => {
  created.length = 0;
  events.length = 0;
  catRequests = [];
  dataStreams = [];
  sourceObjects = {};
  destAnswers = {};
});

const value = <T>(o: pulumi.Output<T>) => outputValue(o, 5000);
const of = (kind: string) => created.filter((c) => c.type === kind);
// The URL is the destination server's, once it listens (beforeAll).
const dest = { url: "http://127.0.0.1:19999", username: "admin", password: "dest-pw" };

describe("IndexMigration", () => {
  it("declares a DestinationIndex copied from the source, a Reindex keyed on its uuid, and a finish triggered by the copy", async () => {
    const m = new mod.IndexMigration("logs", {
      source: { url: "http://10.0.0.5:9200", username: "reader", password: pulumi.secret("src-pw") },
      destination: dest,
      index: "logs",
      destIndex: "logs-v2",
      mode: { type: "incremental", field: "ts" },
      partitions: { field: "ts", count: 4 },
      finalSettings: { number_of_replicas: 2 },
      alias: "logs",
    });
    const summary = await value(m.summary);
    expect(summary).toEqual({
      index: "logs",
      destIndex: "logs-v2",
      uuid: "uuid-logs-v2",
      sourceCount: 100,
      destCount: 100,
      created: 90,
      updated: 10,
      durationSeconds: 4,
      docsPerSecond: 25,
      verified: true,
      watermark: 42,
    });

    const [index] = of("DestinationIndex");
    expect(index.name).toBe("logs-index");
    expect(index.inputs).toMatchObject({
      index: "logs-v2",
      copyFrom: { index: "logs", cluster: { url: "http://10.0.0.5:9200" } },
      deletionProtection: true,
    });
    // The final replicas are declared on the index too, so a later refresh does not see the restored value as drift.
    expect(index.inputs.settings).toEqual({ "index.number_of_replicas": "2" });

    const [copy] = of("Reindex");
    expect(copy.name).toBe("logs-copy");
    expect(copy.inputs).toMatchObject({
      destIndex: "logs-v2",
      destIndexUuid: "uuid-logs-v2",
      mode: { type: "incremental", field: "ts" },
      partitions: { field: "ts", count: 4 },
      // By default the destination reaches the source at its URL, with its credentials.
      source: {
        index: "logs",
        remote: { host: "http://10.0.0.5:9200", username: "reader", password: "src-pw" },
        cluster: { url: "http://10.0.0.5:9200" },
      },
    });

    const [finish] = of("MigrationFinish");
    expect(finish.name).toBe("logs-finish");
    expect(finish.inputs).toMatchObject({
      index: "logs-v2",
      alias: "logs",
      // Like with like: the copy's scope counted on both sides, with the extras its deletes policy kept.
      verify: { sourceCount: 100, extra: 3 },
      trigger: { taskIds: ["node:logs-copy"], watermark: 42, durationSeconds: 4, created: 90, updated: 10 },
      // The DestinationIndex's final values, with the declared ones over them.
      finalSettings: { "index.number_of_replicas": "2", "index.refresh_interval": "1s" },
    });
    expect(m.destinationIndex).toBeDefined();
    expect(m.reindex).toBeDefined();
    expect(m.finish).toBeDefined();
  });

  it("uses sourceRemote when given, and sends a source API key as a header by default", async () => {
    const a = new mod.IndexMigration("a", {
      source: { url: "http://src:9200" },
      sourceRemote: { host: "http://10.1.1.1:9200" },
      destination: dest,
      index: "a",
    });
    const b = new mod.IndexMigration("b", {
      source: { url: "http://src:9200", apiKey: "a2V5" },
      destination: dest,
      index: "b",
    });
    await Promise.all([value(a.summary), value(b.summary)]);
    const copies = of("Reindex");
    expect(copies.find((c) => c.name === "a-copy")!.inputs.source.remote).toEqual({ host: "http://10.1.1.1:9200" });
    expect(copies.find((c) => c.name === "b-copy")!.inputs.source.remote).toEqual({
      host: "http://src:9200",
      headers: { Authorization: "ApiKey a2V5" },
    });
    expect(of("DestinationIndex").find((c) => c.name === "a-index")!.inputs.index).toBe("a");
  });

  it.each([
    ["no index", { index: undefined }, /index is required/],
    ["a wildcard index", { index: "logs-*" }, /index "logs-\*" contains "\*"/],
    ["an uppercase destIndex", { destIndex: "Logs" }, /destIndex "Logs" has uppercase letters/],
    ["no source", { source: undefined }, /source is required/],
    [
      "a source URL without port (the default remote host)",
      { source: { url: "http://src" } },
      /source\.url "http:\/\/src" has no port.*sourceRemote/,
    ],
    [
      "a destination URL without scheme",
      { destination: { url: "dest:9200" } },
      /destination\.url "dest:9200" has no scheme/,
    ],
    ["an alias equal to the destination index", { alias: "logs" }, /alias "logs" is the destination index's own name/],
    [
      "a static final setting",
      { finalSettings: { number_of_shards: 3 } },
      /finalSettings: "index\.number_of_shards" is not a dynamic setting/,
    ],
    [
      "a setting given twice",
      { settings: { number_of_shards: 1, "index.number_of_shards": 2 } },
      /settings: setting "index\.number_of_shards" is given twice/,
    ],
    [
      "a misspelt argument",
      { partition: { field: "ts", count: 2 } },
      /unknown field\(s\) partition: IndexMigration takes/,
    ],
    ["a non-boolean deletionProtection", { deletionProtection: "no" }, /deletionProtection must be true or false/],
    ["an unknown transport", { transport: "pull" }, /transport must be "remote" or "client"/],
  ])("refuses %s, naming the field", (_what, change, message) => {
    const args: any = { source: { url: "http://src:9200" }, destination: dest, index: "logs", ...change };
    expect(() => new mod.IndexMigration(`bad-${Math.random()}`, args)).toThrow(message);
  });
});

const row = (index: string, docs: number, status = "open") => ({
  index,
  status,
  health: "green",
  "docs.count": String(docs),
  "pri.store.size": "1000",
});

describe("ClusterMigration", () => {
  it("declares one MigratedIndex per open, non-system index, and reports the skipped ones", async () => {
    catRows = [row("logs-a", 10), row("logs-b", 20), row(".kibana", 3), row("old", 5, "close"), row("orders", 7)];
    const cm = new mod.ClusterMigration("cm", { source: { url: sourceUrl }, destination: dest, exclude: ["orders"] });
    expect(await value(cm.indices)).toEqual(["logs-a", "logs-b"]);
    expect(await value(cm.skipped)).toEqual([
      { index: ".kibana", reason: "system" },
      { index: "old", reason: "closed" },
    ]);
    const summary = await value(cm.summary);
    expect(summary.rows.map((r) => r.index)).toEqual(["logs-a", "logs-b"]);
    expect(summary.totals).toEqual({
      indices: 2,
      sourceCount: 200,
      destCount: 200,
      created: 180,
      updated: 20,
      durationSeconds: 8,
      estimatedSeconds: 0,
      verified: true,
    });
    // One registered resource per index: no component and no separate index, copy and finish resources.
    expect(created.map((c) => `${c.type} ${c.name}`)).toEqual([
      "ClusterMigration cm",
      "MigratedIndex cm-logs-a",
      "MigratedIndex cm-logs-b",
    ]);
    expect(Object.keys(await cm.migrations)).toEqual(["logs-a", "logs-b"]);
    expect(catRequests[0]).toMatch(/^\/_cat\/indices\?/);
  });

  it("gives each MigratedIndex its options in three groups, and the connections (with the default remote) once", async () => {
    catRows = [row("logs-a", 10), row("logs-b", 20), row("metrics", 5)];
    const cm = new mod.ClusterMigration("cm2", {
      source: { url: sourceUrl, username: "reader", password: pulumi.secret("src-pw") },
      destination: dest,
      include: ["logs-*"],
      defaults: {
        mode: { type: "incremental", field: "ts", lookback: "10m" },
        loadSettings: {},
        verify: "content",
        deletes: "reconcile",
        maxDeletePercent: 2,
        query: { term: { t: 1 } },
        finalSettings: { number_of_replicas: 2 },
      },
      overrides: {
        "logs-b": {
          destIndex: "logs-b-new",
          alias: "logs-b",
          mode: { type: "full" },
          deletes: "report",
          scroll: "1h",
          deletionProtection: false,
        },
      },
      destIndexName: (n) => `${n}-v2`,
    });
    await value(cm.summary);
    const byName = Object.fromEntries(of("MigratedIndex").map((c) => [c.name, c.inputs]));
    expect(Object.keys(byName)).toEqual(["cm2-logs-a", "cm2-logs-b"]);
    const { __provider: _provider, ...logsA } = byName["cm2-logs-a"];
    expect(logsA).toEqual({
      connections: {
        destination: dest,
        source: { url: sourceUrl, username: "reader", password: "src-pw" },
        remote: { host: sourceUrl, username: "reader", password: "src-pw" },
      },
      sourceIndex: "logs-a",
      destIndex: "logs-a-v2",
      target: { loadSettings: {} },
      copy: {
        mode: { type: "incremental", field: "ts", lookback: "10m" },
        verify: "content",
        deletes: "reconcile",
        maxDeletePercent: 2,
        query: { term: { t: 1 } },
      },
      finish: { finalSettings: { number_of_replicas: 2 } },
    });
    expect(byName["cm2-logs-b"]).toMatchObject({
      destIndex: "logs-b-new",
      target: { loadSettings: {}, deletionProtection: false },
      copy: { mode: { type: "full" }, verify: "content", deletes: "report", scroll: "1h" },
      finish: { alias: "logs-b", finalSettings: { number_of_replicas: 2 } },
    });
  });

  it("uses sourceRemote for every index when given", async () => {
    catRows = [row("a", 1)];
    const cm = new mod.ClusterMigration("cm3", {
      source: { url: sourceUrl },
      sourceRemote: { host: "http://10.1.1.1:9200" },
      destination: dest,
    });
    await value(cm.summary);
    expect(of("MigratedIndex")[0].inputs.connections.remote).toEqual({ host: "http://10.1.1.1:9200" });
  });

  it("runs at most `concurrency` indices at once: the k-th starts after index k - concurrency is done", async () => {
    catRows = ["i0", "i1", "i2", "i3", "i4"].map((n) => row(n, 1));
    const cm = new mod.ClusterMigration("lanes", { source: { url: sourceUrl }, destination: dest, concurrency: 2 });
    await value(cm.summary);
    const at = (e: string) => {
      const i = events.indexOf(e);
      expect(i, e).toBeGreaterThanOrEqual(0);
      return i;
    };
    for (let k = 2; k < 5; k++) {
      expect(at(`start MigratedIndex lanes-i${k}`)).toBeGreaterThan(at(`end MigratedIndex lanes-i${k - 2}`));
    }
    // The two lanes do run side by side: index 1 does not wait for index 0.
    expect(at("start MigratedIndex lanes-i1")).toBeLessThan(at("end MigratedIndex lanes-i0"));
  });

  describe("cluster objects", () => {
    const templateBody = { index_patterns: ["logs-*"], composed_of: ["base"], priority: 10 };
    const source = () => ({
      "/_component_template": {
        component_templates: [
          { name: "base", component_template: { template: { mappings: { properties: { ts: { type: "date" } } } } } },
        ],
      },
      "/_index_template": { index_templates: [{ name: "logs", index_template: templateBody }] },
      "/_template": {
        "old-style": { index_patterns: ["old-*"], order: 0, mappings: { properties: { code: { type: "keyword" } } } },
        ".monitoring-es": { index_patterns: [".monitoring-es-*"], order: 0 },
      },
      "/_ingest/pipeline": { "logs-enrich": { processors: [{ set: { field: "seen", value: true } }] } },
      "/_cluster/state/metadata": {
        metadata: { stored_scripts: { "score-boost": { lang: "painless", source: "doc['n'].value * 2" } } },
      },
      "/_alias": {
        "logs-a": { aliases: { logs: { is_write_index: true }, "logs-current": {} } },
        ".kibana_1": { aliases: { ".kibana": {} } },
      },
      "/_all/_settings/index.default_pipeline,index.final_pipeline": {
        "logs-a": { settings: { "index.default_pipeline": "logs-enrich" } },
        "logs-b": { settings: {} },
      },
    });

    it("copies the source's templates, pipelines, scripts and the migrated indices' aliases, in the order they need", async () => {
      catRows = [row("logs-a", 10), row("logs-b", 20)];
      sourceObjects = source();
      const cm = new mod.ClusterMigration("co", {
        source: { url: sourceUrl },
        destination: dest,
        overrides: { "logs-a": { destIndex: "logs-a-v2", alias: "logs-current" } },
      });
      await value(cm.summary);
      const objects = created
        .filter((c) => !["ClusterMigration", "MigratedIndex"].includes(c.type))
        .map((c) => `${c.type} ${c.name}`);
      // System objects (".monitoring-es", ".kibana") are not copied; "logs-current" is the cutover's (overrides.alias).
      expect(objects.sort()).toEqual([
        "ComponentTemplate co-component-template-base",
        "IndexAlias co-alias-logs",
        "IndexTemplate co-index-template-logs",
        "IngestPipeline co-pipeline-logs-enrich",
        "LegacyIndexTemplate co-legacy-template-old-style",
        "StoredScript co-script-score-boost",
      ]);
      // The alias points at the destination's name of its index, with its options.
      expect(of("IndexAlias")[0].inputs).toMatchObject({
        name: "logs",
        body: { "logs-a-v2": { is_write_index: true } },
      });
      expect(of("IndexTemplate")[0].inputs.body).toEqual(templateBody);
      const at = (e: string) => events.indexOf(e);
      for (const before of [
        "IngestPipeline co-pipeline-logs-enrich",
        "IndexTemplate co-index-template-logs",
        "LegacyIndexTemplate co-legacy-template-old-style",
      ]) {
        expect(at(`start MigratedIndex co-logs-a`), before).toBeGreaterThan(at(`end ${before}`));
      }
      expect(at("start IndexTemplate co-index-template-logs")).toBeGreaterThan(
        at("end ComponentTemplate co-component-template-base"),
      );
      expect(at("start IngestPipeline co-pipeline-logs-enrich")).toBeGreaterThan(
        at("end StoredScript co-script-score-boost"),
      );
      expect(at("start IndexAlias co-alias-logs")).toBeGreaterThan(at("end MigratedIndex co-logs-a"));
    });

    it("declares no object a kind turned off or a name excluded", async () => {
      catRows = [row("logs-a", 10)];
      sourceObjects = source();
      const cm = new mod.ClusterMigration("off", {
        source: { url: sourceUrl },
        destination: dest,
        objects: { scripts: false, aliases: false, templates: { exclude: ["old-*"] } },
      });
      await value(cm.summary);
      expect(
        created
          .map((c) => c.type)
          .filter((t) => t !== "MigratedIndex")
          .sort(),
      ).toEqual(["ClusterMigration", "ComponentTemplate", "IndexTemplate", "IngestPipeline"]);
    });
  });

  it("with groups, registers that many MigratedIndexGroups, each index in the group its name hashes to, and sums their rows", async () => {
    const { groupOf } = await import("../../provider/migrated-index/group-members.js");
    const names = ["logs-a", "logs-b", "logs-c", "metrics", "orders"];
    catRows = names.map((n) => row(n, 10));
    const cm = new mod.ClusterMigration("grp", {
      source: { url: sourceUrl, username: "reader", password: pulumi.secret("src-pw") },
      destination: dest,
      groups: 3,
      concurrency: 4,
      overrides: { orders: { destIndex: "orders-v2", alias: "orders" } },
    });
    const summary = await value(cm.summary);
    // Every group is declared, empty ones too (a group's resource must not come and go with the index list).
    expect(created.map((c) => `${c.type} ${c.name}`).sort()).toEqual([
      "ClusterMigration grp",
      "MigratedIndexGroup grp-group-0",
      "MigratedIndexGroup grp-group-1",
      "MigratedIndexGroup grp-group-2",
    ]);
    expect(of("MigratedIndex")).toEqual([]);
    expect(Object.keys(await cm.migrations)).toEqual([]);
    expect(await cm.groups).toHaveLength(3);
    for (const g of of("MigratedIndexGroup")) {
      const k = Number(g.name.split("-").pop());
      expect(g.inputs).toMatchObject({ migration: "grp", group: { index: k, count: 3 }, concurrency: 4 });
      expect(Object.keys(g.inputs.indices).sort()).toEqual(names.filter((n) => groupOf(n, 3) === k));
      expect(g.inputs.connections.source.password).toBe("src-pw");
    }
    const holder = of("MigratedIndexGroup").find((g) => g.inputs.indices.orders !== undefined)!;
    expect(holder.inputs.indices.orders).toEqual({
      sourceIndex: "orders",
      destIndex: "orders-v2",
      target: {},
      copy: {},
      finish: { alias: "orders" },
    });
    expect(summary.rows.map((r) => r.index).sort()).toEqual(names);
    expect(summary.totals).toMatchObject({ indices: 5, sourceCount: 500, verified: true });
  });

  it("fails with the source named and what to do when the source does not answer", async () => {
    // The component lists through listForMigration; its error fails the program (preview and up alike).
    const { listForMigration } = await import("../../components/migration/list.js");
    await expect(listForMigration({ url: "http://127.0.0.1:1" }, {}, 'ClusterMigration "down"')).rejects.toThrow(
      /ClusterMigration "down": cannot list the indices of source http:\/\/127\.0\.0\.1:1: .*must answer from where Pulumi runs/,
    );
  });

  it.each([
    ["concurrency 0", { concurrency: 0 }, /concurrency must be a whole number of at least 1/],
    ["groups 0", { groups: 0 }, /groups must be a whole number from 1 to 1000/],
    ["groups not a number", { groups: "4" }, /groups must be a whole number from 1 to 1000/],
    ["include not a list", { include: "logs-*" }, /include must be a list of index name patterns/],
    ["an alias in defaults", { defaults: { alias: "all" } }, /defaults\.alias would give every index the same alias/],
    ["a misspelt default", { defaults: { partition: 2 } }, /defaults: unknown field\(s\) partition/],
    [
      "a bad override",
      { overrides: { logs: { destIndex: "Logs" } } },
      /overrides\.logs\.destIndex "Logs" has uppercase letters/,
    ],
    ["destIndexName not a function", { destIndexName: "x" }, /destIndexName must be a function/],
  ])("refuses %s, naming the field", (_what, change, message) => {
    const args: any = { source: { url: sourceUrl }, destination: dest, ...change };
    expect(() => new mod.ClusterMigration(`bad-${Math.random()}`, args)).toThrow(message);
  });
});

describe("ClusterMigration's data streams", () => {
  const streamRows = () => [row(".ds-events-app-000001", 120), row("orders", 7)];
  const events = { name: "events-app", template: "events-tpl", indices: [{ index_name: ".ds-events-app-000001" }] };

  it("declares a DataStream and a Reindex into it per stream, never its backing index as an index", async () => {
    catRows = streamRows();
    dataStreams = [events];
    const cm = new mod.ClusterMigration("cm", {
      source: { url: sourceUrl, password: pulumi.secret("src-pw"), username: "u" },
      destination: dest,
      defaults: { verify: "content", mode: { type: "incremental", field: "ts" } },
    });
    expect(await value(cm.indices)).toEqual(["orders"]);
    expect(await value(cm.dataStreams)).toEqual(["events-app"]);
    expect(await value(cm.skipped)).toEqual([]);
    const summary = await value(cm.summary);
    expect(summary.rows.find((r) => r.index === "events-app")).toMatchObject({
      dataStream: true,
      uuid: "uuid-events-app",
      sourceCount: 100,
      verified: true,
    });
    expect(summary.totals).toMatchObject({ indices: 2, verified: true });
    const stream = of("DataStream")[0];
    expect(stream.name).toBe("cm-ds-events-app");
    expect(stream.inputs).toMatchObject({
      cluster: dest,
      name: "events-app",
      copyFrom: { cluster: { url: sourceUrl }, name: "events-app" },
    });
    const copy = of("Reindex").find((r) => r.name === "cm-ds-events-app-copy")!;
    expect(copy.inputs).toMatchObject({
      destIndex: "events-app",
      destIndexUuid: "uuid-events-app",
      dataStream: true,
      verify: "content",
      mode: { type: "incremental", field: "@timestamp" },
      source: { index: "events-app", remote: { host: sourceUrl, username: "u", password: "src-pw" } },
    });
  });

  it("leaves the streams out with objects: { dataStreams: false }, and a summary over nothing copied is not verified", async () => {
    catRows = [row(".ds-events-app-000001", 120)];
    dataStreams = [events];
    const cm = new mod.ClusterMigration("off", {
      source: { url: sourceUrl },
      destination: dest,
      objects: { dataStreams: false },
    });
    expect(await value(cm.dataStreams)).toEqual([]);
    expect((await value(cm.summary)).totals).toMatchObject({ indices: 0, verified: false });
    expect(of("DataStream")).toEqual([]);
  });

  it("refuses objects.dataStreams that is not true or false, naming the field", () => {
    const args: any = { source: { url: sourceUrl }, destination: dest, objects: { dataStreams: "no" } };
    expect(() => new mod.ClusterMigration(`bad-${Math.random()}`, args)).toThrow(/objects\.dataStreams must be true/);
  });
});
