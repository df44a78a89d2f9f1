// What other languages see of the package: the plugin's schema, generated from the zod schemas that validate the
// inputs, with no union in it; and the secret markers the plugin's custom resources give back to the engine.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { marked, reveal, secretKeys } from "../../plugin/custom-resources";
import { asDeclared } from "../../plugin/declared-resources";
import { packageSchema } from "../../plugin/schema";
import type { ObjectTypeSpec, PropertySpec } from "../../plugin/schema/from-zod";
import { snapshotMigrationInputsSchema } from "../../provider/snapshot/schema";

const schema = packageSchema("es-migrate", "0.0.0") as {
  resources: Record<
    string,
    {
      isComponent?: boolean;
      inputProperties: Record<string, PropertySpec>;
      requiredInputs: string[];
      properties: Record<string, PropertySpec>;
    }
  >;
  types: Record<string, ObjectTypeSpec>;
};
const indexMigration = schema.resources["es-migrate:index:IndexMigration"];
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

/** Every property of the schema, named by where it is. */
function everyProperty(): [string, PropertySpec][] {
  const out: [string, PropertySpec][] = [];
  for (const [token, r] of Object.entries(schema.resources))
    for (const [k, p] of Object.entries({ ...r.inputProperties, ...r.properties })) out.push([`${token}.${k}`, p]);
  for (const [token, t] of Object.entries(schema.types))
    for (const [k, p] of Object.entries(t.properties)) out.push([`${token}.${k}`, p]);
  return out;
}

describe("the plugin's schema", () => {
  it("takes the copy options' types, defaults and descriptions from their zod schemas", () => {
    expect(indexMigration.inputProperties.verify).toEqual({
      type: "string",
      description: expect.stringMatching(
        /^How each run checks the destination .* One of "count", "ids", "content". Default: "ids".$/,
      ),
    });
    expect(indexMigration.inputProperties.timeout).toMatchObject({
      type: "number",
      description: expect.stringContaining("Default: 21600."),
    });
    expect(schema.types["es-migrate:index:ReindexRemote"].properties.host.description).toContain(
      "reindex.remote.whitelist",
    );
  });

  it("serves a mode as one object whose type names the variant, with the fields of each", () => {
    expect(indexMigration.inputProperties.mode.$ref).toBe("#/types/es-migrate:index:CopyMode");
    const mode = schema.types["es-migrate:index:CopyMode"];
    expect(mode.required).toEqual(["type"]);
    expect(mode.properties.type.description).toContain('One of "full", "incremental", "missingField".');
    expect(mode.properties.field.description).toMatch(/^\(type "incremental" or "missingField"\) /);
    expect(mode.properties.lookback.description).toMatch(/^\(type "incremental"\) .*Default: "5m"\.$/);
  });

  it("has no union anywhere, and every property says what it is for", () => {
    for (const [where, p] of everyProperty()) {
      expect(
        Object.keys(p).filter((k) => k === "oneOf" || k === "anyOf"),
        where,
      ).toEqual([]);
      expect(p.description ?? "", where).not.toBe("");
    }
  });

  it("describes a connection, its credentials marked secret, the same type wherever a connection is taken", () => {
    const connection = schema.types["es-migrate:index:Connection"];
    expect(connection.required).toEqual(["url"]);
    expect(Object.keys(connection.properties)).toEqual([
      "url",
      "username",
      "password",
      "apiKey",
      "aws",
      "caCert",
      "insecureSkipVerify",
      "headers",
    ]);
    expect(connection.properties.password.secret).toBe(true);
    expect(indexMigration.inputProperties.source.$ref).toBe("#/types/es-migrate:index:Connection");
    expect(schema.resources["es-migrate:index:Reindex"].inputProperties.cluster.$ref).toBe(
      "#/types/es-migrate:index:Connection",
    );
  });
});

describe("SnapshotMigration in the plugin's schema", () => {
  const snapshotMigration = schema.resources["es-migrate:index:SnapshotMigration"];
  const fields: Record<string, z.ZodType> = snapshotMigrationInputsSchema.shape;

  it("is a resource, as in TypeScript, taking every input of its zod schema and requiring the same four", () => {
    expect(snapshotMigration.isComponent).toBeUndefined();
    expect(Object.keys(snapshotMigration.inputProperties)).toEqual(Object.keys(fields));
    expect(snapshotMigration.requiredInputs).toEqual(["source", "destination", "repository", "indices"]);
  });

  it("says each field's default as the zod schema applies it, and the defaults the class derives", () => {
    const defaulted = Object.entries(fields).flatMap(([k, f]) => {
      const parsed = f.safeParse(undefined);
      return parsed.success && parsed.data !== undefined ? [[k, parsed.data] as const] : [];
    });
    expect(defaulted.map(([k]) => k)).toEqual(["deletionProtection", "verify", "timeout"]);
    for (const [k, value] of defaulted) {
      const description = snapshotMigration.inputProperties[k].description;
      expect(description, k).toContain(fields[k].description);
      expect(description, k).toMatch(new RegExp(` Default: ${JSON.stringify(value)}\\.$`));
    }
    expect(snapshotMigration.inputProperties.snapshot.description).toContain(
      "Default: `es-migrate-<resource name>` (lower case).",
    );
    expect(schema.types["es-migrate:index:SnapshotCatchUp"].properties.lookback.description).toContain(
      'Default: "5m".',
    );
  });

  it("keeps the connections and the repository secret, the repository type shared with ClusterMigration's", () => {
    for (const k of ["source", "destination", "sourceRemote", "repository"]) {
      expect(snapshotMigration.inputProperties[k].secret, k).toBe(true);
      expect(snapshotMigration.properties[k].secret, k).toBe(true);
    }
    const repository = "#/types/es-migrate:index:SnapshotRepository";
    expect(snapshotMigration.inputProperties.repository.$ref).toBe(repository);
    expect(schema.types["es-migrate:index:ClusterSnapshot"].properties.repository.$ref).toBe(repository);
    expect(schema.types["es-migrate:index:SnapshotRepository"].properties.type.description).toContain(
      'One of "fs", "s3", "oss".',
    );
  });

  it("holds the results the TypeScript class declares as outputs", () => {
    expect(Object.keys(snapshotMigration.properties)).toEqual(
      expect.arrayContaining(["status", "snapshotName", "indexResults", "durations", "verified", "failures"]),
    );
    expect(snapshotMigration.properties.indexResults.items?.$ref).toBe("#/types/es-migrate:index:SnapshotIndexResult");
  });
});

describe("the cloud access components in the plugin's schema", () => {
  it("serves both as components with the TypeScript classes' args and outputs", () => {
    const aws = schema.resources["es-migrate:index:AwsReindexAccess"];
    const alicloud = schema.resources["es-migrate:index:AlicloudReindexAccess"];
    expect([aws.isComponent, alicloud.isComponent]).toEqual([true, true]);
    expect(aws.requiredInputs).toEqual(["domain", "source"]);
    expect(Object.keys(aws.properties)).toEqual(["remoteHost", "remote", "connection", "outboundConnectionId"]);
    expect(alicloud.requiredInputs).toEqual(["architecture", "source", "destination"]);
    expect(Object.keys(alicloud.inputProperties)).toEqual([
      "architecture",
      "source",
      "destination",
      "clb",
      "endpointService",
      "api",
      "updateInstanceYml",
    ]);
    expect(schema.types["es-migrate:index:AlicloudApi"].properties.accessKeySecret.secret).toBe(true);
  });

  it("serves AwsReindexAccess's source, a union in TypeScript, as one object with the fields of both kinds", () => {
    const source = schema.types["es-migrate:index:AwsReindexSource"];
    expect(source.required).toBeUndefined();
    expect(Object.keys(source.properties)).toEqual(
      expect.arrayContaining(["host", "port", "securityGroupId", "domain", "connectionAlias"]),
    );
    expect(source.properties.domain.$ref).toBe("#/types/es-migrate:index:AwsSourceDomain");
  });
});

describe("a SnapshotMigration a program declares through the plugin", () => {
  const urn = "urn:pulumi:dev::shop::es-migrate:index:SnapshotMigration::Big Logs";

  it("gets the snapshot name the TypeScript class derives from the resource name, and its secret inputs", () => {
    const { news, secrets } = asDeclared(urn, "SnapshotMigration", { indices: ["logs"] });
    expect(news).toEqual({ indices: ["logs"], snapshot: "es-migrate-big-logs" });
    expect(secrets).toEqual(["source", "destination", "sourceRemote", "repository"]);
  });

  it("keeps a snapshot name the program gives, and changes nothing of the other resources", () => {
    expect(asDeclared(urn, "SnapshotMigration", { snapshot: "nightly" }).news).toEqual({ snapshot: "nightly" });
    expect(asDeclared(urn.replace("SnapshotMigration", "Reindex"), "Reindex", { index: "a" })).toEqual({
      news: { index: "a" },
      secrets: [],
    });
  });
});

describe("the secret markers of the plugin's custom resources", () => {
  const news = {
    cluster: { ...SECRET, value: { url: "http://dest:9200" } },
    source: { index: "orders", remote: { host: "http://src:9200", password: { ...SECRET, value: "pw" } } },
    index: "orders",
  };

  it("hands the providers plain values", () => {
    expect(reveal(news)).toEqual({
      cluster: { url: "http://dest:9200" },
      source: { index: "orders", remote: { host: "http://src:9200", password: "pw" } },
      index: "orders",
    });
  });

  it("marks secret again every property that held a secret going in, whole, and drops undefined fields", () => {
    const inputs = { ...(reveal(news) as object), uuid: undefined };
    expect(marked(inputs, secretKeys(news))).toEqual({
      cluster: { ...SECRET, value: { url: "http://dest:9200" } },
      source: { ...SECRET, value: { index: "orders", remote: { host: "http://src:9200", password: "pw" } } },
      index: "orders",
    });
  });
});
