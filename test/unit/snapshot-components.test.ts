// SnapshotMigration and ClusterMigration's method under Pulumi mocks: what the resource registers for `s3` (Amazon
// OpenSearch Service, role ARN) and `oss` (Alibaba Cloud) repositories, secrets kept secret; which indices `auto`
// sends by snapshot (one SnapshotMigration) and which keep their MigratedIndex; the option errors.
import * as http from "node:http";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeServer, listenForUrl } from "../helpers/http-server";
import { isSecret, outputValue, setPulumiMocks, shortType, unwrapSecrets } from "../helpers/pulumi-mocks";

interface Created {
  type: string;
  name: string;
  inputs: Record<string, any>;
  raw: Record<string, any>;
}
const created: Created[] = [];

setPulumiMocks(
  {
    async newResource(args) {
      const kind = shortType(args.type);
      const inputs = unwrapSecrets(args.inputs);
      created.push({ type: kind, name: args.name, inputs, raw: args.inputs });
      const state: Record<string, any> = { ...inputs };
      if (kind === "SnapshotMigration") {
        state.indexResults = inputs.indices.map((index: string) => ({
          index,
          destIndex: index,
          sizeBytes: 2e11,
          restoredCount: 1000,
          sourceCount: 1010,
          destCount: 1010,
          caughtUp: 10,
          verified: true,
        }));
        state.durations = { snapshotSeconds: 10, restoreSeconds: 20, catchUpSeconds: 3 };
      }
      if (kind === "MigratedIndex") {
        state.summary = {
          index: inputs.sourceIndex,
          destIndex: inputs.destIndex,
          uuid: "u",
          sourceCount: 5,
          destCount: 5,
          created: 5,
          updated: 0,
          durationSeconds: 1,
          docsPerSecond: 5,
          verified: true,
          watermark: null,
        };
      }
      return { id: `${args.name}-id`, state };
    },
    call() {
      return {};
    },
  },
  { placeholderProviders: true },
);

type Root = typeof import("../../index");
let root: Root;
let server: http.Server;
let sourceUrl: string;
const GB = 1024 ** 3;
const ROWS = [
  { index: "huge", status: "open", health: "green", "docs.count": "1000", "pri.store.size": String(200 * GB) },
  { index: "small", status: "open", health: "green", "docs.count": "5", "pri.store.size": "4096" },
];

beforeAll(async () => {
  root = await import("../../index.js");
  // The source's index list, and (as the destination too) a cluster without objects: empty lists of each kind.
  const answers: Record<string, unknown> = {
    "/": { version: { number: "7.10.2" } },
    "/_cat/indices": ROWS,
    "/_component_template": { component_templates: [] },
    "/_index_template": { index_templates: [] },
  };
  server = http.createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(answers[(req.url ?? "").split("?")[0]] ?? {}));
  });
  sourceUrl = await listenForUrl(server);
});
afterAll(() => closeServer(server));
beforeEach(() => {
  created.length = 0;
});

const value = <T>(o: pulumi.Output<T>) => outputValue(o, 5000);
const of = (kind: string) => created.filter((c) => c.type === kind);
const ROLE = "arn:aws:iam::123456789012:role/TheSnapshotRole";

describe("SnapshotMigration", () => {
  it("an s3 repository on Amazon OpenSearch Service: the role ARN goes with the registration, the repository and connections are secret", async () => {
    const m = new root.SnapshotMigration("Big One", {
      source: { url: "http://10.0.0.5:9200", username: "reader", password: pulumi.secret("src-pw") },
      destination: { url: "https://search-x.eu-west-1.es.amazonaws.com:443", aws: { region: "eu-west-1" } },
      repository: {
        name: "migration",
        type: "s3",
        settings: { bucket: "snaps", base_path: "es", region: "eu-west-1", role_arn: ROLE },
      },
      indices: ["logs"],
      catchUp: { field: "ts" },
    });
    await value(m.indexResults);
    const [r] = of("SnapshotMigration");
    expect(r.inputs).toMatchObject({
      snapshot: "es-migrate-big-one",
      indices: ["logs"],
      catchUp: { field: "ts" },
      repository: { type: "s3", settings: { role_arn: ROLE } },
      destination: { aws: { region: "eu-west-1" } },
    });
    for (const k of ["repository", "source", "destination"]) expect(isSecret(r.raw[k]), k).toBe(true);
  });

  it("an oss repository: its access keys stay secret in the registration", async () => {
    const m = new root.SnapshotMigration("oss", {
      source: { url: "http://10.0.0.5:9200" },
      destination: {
        url: "https://es-cn-x.elasticsearch.aliyuncs.com:9200",
        username: "elastic",
        password: pulumi.secret("dest-pw"),
      },
      repository: {
        name: "oss-repo",
        type: "oss",
        settings: {
          endpoint: "oss-cn-hangzhou-internal.aliyuncs.com",
          access_key_id: "LTAI-id",
          secret_access_key: pulumi.secret("oss-secret"),
          bucket: "snaps",
          base_path: "es",
          compress: true,
        },
      },
      indices: ["orders"],
      snapshot: "orders-cutover",
    });
    await value(m.indexResults);
    const [r] = of("SnapshotMigration");
    expect(r.inputs.snapshot).toBe("orders-cutover");
    expect(r.inputs.repository.settings).toMatchObject({ access_key_id: "LTAI-id", secret_access_key: "oss-secret" });
    expect(isSecret(r.raw.repository)).toBe(true);
  });
});

describe("ClusterMigration method", () => {
  it('"auto" sends indices above snapshotAboveBytes through one SnapshotMigration, the rest keep their MigratedIndex', async () => {
    const cm = new root.ClusterMigration("cm", {
      source: { url: sourceUrl },
      destination: { url: sourceUrl },
      method: "auto",
      snapshot: {
        repository: { name: "r", type: "fs", settings: { location: "/mnt/snaps" } },
        catchUp: { field: "ts" },
      },
      defaults: { verify: "content", deletionProtection: false },
    });
    const summary = await value(cm.summary);
    expect(of("SnapshotMigration").map((c) => [c.name, c.inputs.indices])).toEqual([["cm-snapshot", ["huge"]]]);
    expect(of("SnapshotMigration")[0].inputs).toMatchObject({
      catchUp: { field: "ts" },
      verify: "content",
      deletionProtection: false,
    });
    expect(of("MigratedIndex").map((c) => c.inputs.sourceIndex)).toEqual(["small"]);
    expect(summary.rows.map((r) => [r.index, r.destCount, r.verified])).toEqual([
      ["small", 5, true],
      ["huge", 1010, true],
    ]);
    expect(summary.totals).toMatchObject({ indices: 2, destCount: 1015, verified: true });
  });

  it('"snapshot" sends every index; the default "reindex" none', async () => {
    const snap = new root.ClusterMigration("all", {
      source: { url: sourceUrl },
      destination: { url: sourceUrl },
      method: "snapshot",
      snapshot: { repository: { name: "r", type: "fs", settings: { location: "/x" } } },
    });
    await value(snap.summary);
    expect(of("SnapshotMigration").map((c) => c.inputs.indices)).toEqual([["huge", "small"]]);
    expect(of("MigratedIndex")).toEqual([]);
    created.length = 0;
    await value(
      new root.ClusterMigration("none", { source: { url: sourceUrl }, destination: { url: sourceUrl } }).summary,
    );
    expect(of("SnapshotMigration")).toEqual([]);
    expect(of("MigratedIndex").map((c) => c.inputs.sourceIndex)).toEqual(["huge", "small"]);
  });

  it.each([
    [{ method: "snapshot" }, /method "snapshot" needs snapshot: \{ repository/],
    [{ method: "copy" }, /method must be "reindex"/],
    [
      { method: "snapshot", snapshot: { repository: { name: "r", type: "fs", settings: {} } }, snapshotAboveBytes: 10 },
      /snapshotAboveBytes is used by method: "auto" only/,
    ],
    [
      { method: "auto", snapshotAboveBytes: -1, snapshot: { repository: { name: "r", type: "fs", settings: {} } } },
      /snapshotAboveBytes must be a number of bytes/,
    ],
    [
      { snapshot: { repository: { name: "r", type: "fs", settings: {} } } },
      /snapshot is used by method "snapshot" or "auto"/,
    ],
  ])("%o is refused", (extra, message) => {
    expect(
      () =>
        new root.ClusterMigration(`bad-${Math.random()}`, {
          source: { url: sourceUrl },
          destination: { url: "http://x:9200" },
          ...(extra as any),
        }),
    ).toThrow(message);
  });
});

describe("snapshotIndexNames", () => {
  const list = [
    { name: "a", sizeBytes: 100 * GB + 1 },
    { name: "b", sizeBytes: 100 * GB },
    { name: "c", sizeBytes: 10 },
  ];
  it.each([
    [undefined, undefined, []],
    ["reindex", undefined, []],
    ["snapshot", undefined, ["a", "b", "c"]],
    ["auto", undefined, ["a"]],
    ["auto", 5, ["a", "b", "c"]],
  ])("method %s, above %s: %o", (method, above, expected) => {
    expect(root.snapshotIndexNames(list, method as any, above as any)).toEqual(expected);
  });
});
