// The cluster-object resources under Pulumi mocks (what they register, secrets kept secret) and their check():
// every problem of the inputs named with its property and the fix, before any cluster is asked.
import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { UNKNOWN } from "../../provider/connection/unknown";
import { objectProvider, type ObjectKind } from "../../provider/objects";
import { isSecret, setPulumiMocks, settle } from "../helpers/pulumi-mocks";

const registered: { type: string; name: string; raw: Record<string, any> }[] = [];

setPulumiMocks(
  {
    async newResource(args) {
      registered.push({ type: args.type, name: args.name, raw: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: () => ({}),
  },
  { placeholderProviders: true },
);

type Root = typeof import("../../index");
let root: Root;
beforeAll(async () => {
  root = await import("../../index.js");
});

const destination = { url: "http://127.0.0.1:9", username: "admin", password: "s3cret" };

describe("the resources", () => {
  it.each([
    ["IndexTemplate", { body: { index_patterns: ["a-*"] } }],
    ["LegacyIndexTemplate", { body: { index_patterns: ["a-*"] } }],
    ["ComponentTemplate", { body: { template: {} } }],
    ["IngestPipeline", { body: { processors: [] } }],
    ["StoredScript", { body: { lang: "painless", source: "1" } }],
    ["IndexAlias", { copyFrom: { source: { url: "http://127.0.0.1:8", password: "p", username: "u" } } }],
  ] as const)("%s registers under its own type with the connections stored as secrets", async (cls, extra) => {
    const Resource = root[cls] as unknown as new (name: string, args: Record<string, unknown>) => pulumi.CustomResource;
    new Resource(`r-${cls}`, { destination, name: "obj", ...extra });
    await settle();
    const r = registered.find((x) => x.name === `r-${cls}`)!;
    expect(r.type).toBe(`pulumi-nodejs:dynamic/es-migrate:${cls}`);
    expect(isSecret(r.raw.destination)).toBe(true);
    if ("copyFrom" in extra) expect(isSecret(r.raw.copyFrom)).toBe(true);
    else expect(isSecret(r.raw.body)).toBe(false);
  });
});

describe("OBJECT_RESOURCES", () => {
  it("gives the class of each kind, so a program can declare a plan's rows", async () => {
    const { OBJECT_RESOURCES } = await import("../../provider/objects/index.js");
    new OBJECT_RESOURCES.pipeline("from-row", { destination, name: "stamp", body: { processors: [] } });
    await settle();
    expect(registered.find((x) => x.name === "from-row")?.type).toBe("pulumi-nodejs:dynamic/es-migrate:IngestPipeline");
  });
});

async function failures(kind: ObjectKind, news: Record<string, unknown>) {
  return (await objectProvider(kind).check!({}, news)).failures ?? [];
}

describe("check names every problem of the inputs", () => {
  it.each<[string, ObjectKind, Record<string, unknown>, { property: string; reason: RegExp }[]]>([
    [
      "neither body nor copyFrom",
      "pipeline",
      { destination, name: "p" },
      [{ property: "body", reason: /^body or copyFrom is required/ }],
    ],
    [
      "both body and copyFrom",
      "pipeline",
      { destination, name: "p", body: { processors: [] }, copyFrom: { source: destination } },
      [{ property: "body", reason: /both set/ }],
    ],
    [
      "no destination",
      "script",
      { name: "s", body: { lang: "painless", source: "1" } },
      [{ property: "destination", reason: /^destination is required/ }],
    ],
    [
      "a destination without a scheme",
      "script",
      { destination: { url: "10.0.0.1:9200" }, name: "s", body: { lang: "painless", source: "1" } },
      [{ property: "destination.url", reason: /^destination\.url / }],
    ],
    [
      "a copyFrom source without a scheme",
      "pipeline",
      { destination, name: "p", copyFrom: { source: { url: "10.0.0.5:9200" } } },
      [{ property: "copyFrom.source.url", reason: /^copyFrom\.source\.url .*http:\/\/ or https:\/\// }],
    ],
    [
      "a pipeline without processors",
      "pipeline",
      { destination, name: "p", body: { description: "x" } },
      [{ property: "body.processors", reason: /^body\.processors is required: the list of processors/ }],
    ],
    [
      "an index template without patterns",
      "indexTemplate",
      { destination, name: "t", body: { priority: 1 } },
      [{ property: "body.index_patterns", reason: /must be a list of index patterns/ }],
    ],
    [
      "an unknown alias option",
      "alias",
      { destination, name: "a", body: { "logs-1": { writeIndex: true } } },
      [
        {
          property: "body.logs-1",
          reason: /^body\.logs-1 has unknown option\(s\) writeIndex: an alias takes filter, routing/,
        },
      ],
    ],
    [
      "an uppercase template name",
      "legacyTemplate",
      { destination, name: "Logs", body: { index_patterns: ["l"] } },
      [{ property: "name", reason: /name "Logs" has uppercase letters/ }],
    ],
    [
      "an unknown field",
      "script",
      { destination, name: "s", body: { lang: "painless", source: "1" }, overwrite: true },
      [
        {
          property: "overwrite",
          reason:
            /^unknown field\(s\) overwrite: the resource takes destination, name, body or copyFrom, adoptExisting, phase$/,
        },
      ],
    ],
  ])("%s", async (_what, kind, news, expected) => {
    const got = await failures(kind, news);
    expect(got).toEqual(expected.map((e) => ({ property: e.property, reason: expect.stringMatching(e.reason) })));
  });

  it("accepts values not known yet at preview, and normalizes a declared body", async () => {
    expect(await failures("indexTemplate", { destination: UNKNOWN, name: "t", body: UNKNOWN })).toEqual([]);
    const r = await objectProvider("legacyTemplate").check!(
      {},
      {
        destination: { url: UNKNOWN },
        name: "t",
        body: { index_patterns: ["t-*"], order: 0, settings: { number_of_shards: 2 } },
      },
    );
    expect(r.inputs.body).toEqual({ index_patterns: ["t-*"], settings: { "index.number_of_shards": "2" } });
    expect(r.inputs.adoptExisting).toBe(false);
  });
});

describe('an object once cut over (phase "cutover-done")', () => {
  // The destination (port 9) does not answer: any read or write there would fail.
  const olds = {
    destination,
    name: "orders",
    body: { index_patterns: ["orders-*"] },
    adoptExisting: false,
    dropped: [],
    adopted: false,
    destInfo: { flavor: "opensearch", version: "2.19.1", major: 2, minor: 19 },
  };
  const changedByApplication = { ...olds, body: { index_patterns: ["orders-*"], priority: 7 } };

  it("is live only with that phase, for writes and deletes alike", async () => {
    const { objectIsLive } = await import("../../provider/objects/provider.js");
    expect(objectIsLive({ phase: "cutover-done" })).toBe(true);
    expect(objectIsLive({ phase: "cutover-done" }, "delete")).toBe(true);
    expect(objectIsLive({ phase: "sync" })).toBe(false);
    expect(objectIsLive({})).toBe(false);
  });

  it("plans nothing when a refresh recorded the application's change (the declared body is not written back), nor for another name", async () => {
    const provider = objectProvider("indexTemplate");
    expect(await provider.diff!("orders", changedByApplication, { ...olds, phase: "cutover-done" })).toMatchObject({
      changes: false,
    });
    expect(await provider.diff!("orders", olds, { ...olds, name: "orders-v2", phase: "cutover-done" })).toMatchObject({
      changes: false,
    });
  });

  it("updates and deletes without writing to the destination", async () => {
    const provider = objectProvider("pipeline");
    const pipeline = { ...olds, name: "stamp", body: { processors: [] } };
    expect(
      (
        await provider.update!("stamp", pipeline, {
          ...pipeline,
          body: { processors: [{ set: { field: "x", value: 1 } }] },
          phase: "cutover-done",
        })
      ).outs,
    ).toMatchObject({ body: { processors: [] }, phase: "cutover-done" });
    await expect(provider.delete!("stamp", { ...pipeline, phase: "cutover-done" })).resolves.toBeUndefined();
  });

  it("refuses another phase, naming the field", async () => {
    expect(
      await failures("script", { destination, name: "s", body: { lang: "painless", source: "1" }, phase: "done" }),
    ).toEqual([{ property: "phase", reason: expect.stringMatching(/"sync".*"cutover-done"/) }]);
  });
});
