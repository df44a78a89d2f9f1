// What a new user's install brings: `npm install pulumi-es-migrate @pulumi/pulumi` in an empty project, from the
// packed package. No Node.js binary (it would shadow the user's own in npm scripts), no cloud SDK and no package
// marked `pulumi.resource` (Pulumi's language host would make every `pulumi preview` fetch its plugin), a
// node_modules of at most 200 MB; every entry loads for require and for ESM named imports, the cloud entries once
// their SDKs are installed (and, before, fail naming them); a local migration runs under the Pulumi CLI.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../world/cache";
import { startEngine } from "../world/engines";
import { countDocs, seedDocuments } from "../world/fixtures";
import { diskUsage, emptyProject, installedPackages, npmInstall, packWorkingTree } from "../world/package";
import { createStack } from "../world/pulumi";

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
const pinned = (name: string) => `${name}@${pkg.devDependencies[name]}`;

// The entries that need no cloud SDK, with functions each exports.
const SDK_FREE_ENTRIES = [
  {
    entry: "pulumi-es-migrate",
    names: [
      "ClusterMigration",
      "IndexMigration",
      "DestinationIndex",
      "Reindex",
      "MigrationFinish",
      "listSourceIndices",
      "mergeReindexWhitelist",
      "checkRemoteReindexVersions",
    ],
  },
  {
    entry: "pulumi-es-migrate/provider",
    names: ["DestinationIndex", "Reindex", "MigrationFinish", "listSourceIndices"],
  },
  {
    entry: "pulumi-es-migrate/components/migration",
    names: ["ClusterMigration", "IndexMigration", "planClusterMigration"],
  },
  { entry: "pulumi-es-migrate/runtime", names: ["provider"] },
  {
    entry: "pulumi-es-migrate/automation",
    names: ["cutover", "planCutover", "findingsByCopy", "plannedChanges", "CutoverError", "CutoverConfigError"],
  },
];

// Each cloud entry, the SDKs it needs and a component it exports.
const CLOUD_ENTRIES = [
  { entry: "pulumi-es-migrate/components/aws", sdks: ["@pulumi/aws"], component: "AwsReindexAccess" },
  {
    entry: "pulumi-es-migrate/components/alicloud",
    sdks: ["@pulumi/alicloud", "@alicloud/elasticsearch20170613"],
    component: "AlicloudReindexAccess",
  },
];

const MAX_NODE_MODULES_BYTES = 200 * 1024 * 1024;

let project: string;

/** Runs Node in the project: a CommonJS script, or an ES module with `esm`. */
function node(source: string, esm = false) {
  const args = esm ? ["--input-type=module", "-e", source] : ["-e", source];
  return spawnSync(process.execPath, args, { cwd: project, encoding: "utf8" });
}

/** What `names` are when imported from `entry`, by require or by ESM named imports: `{ name: typeof value }`. */
function importedTypes(entry: string, names: string[], esm: boolean) {
  const run = esm
    ? node(
        `import { ${names.join(", ")} } from ${JSON.stringify(entry)};\nconsole.log(JSON.stringify({ ${names.map((n) => `${n}: typeof ${n}`).join(", ")} }));`,
        true,
      )
    : node(
        `const m = require(${JSON.stringify(entry)});\nconsole.log(JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, typeof m[n]]))));`,
      );
  return { run, types: run.status === 0 ? JSON.parse(run.stdout) : undefined };
}

const allFunctions = (names: string[]) => Object.fromEntries(names.map((n) => [n, "function"]));

beforeAll(() => {
  // dist/ is built from the sources by the integration project's global setup.
  project = emptyProject("lean");
  npmInstall(project, [packWorkingTree(project), pinned("@pulumi/pulumi")]);
});

afterAll(() => {
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe("npm install pulumi-es-migrate @pulumi/pulumi, as a new user", () => {
  it("brings no Node.js binary, no cloud SDK, no Pulumi resource package, and at most 200 MB", () => {
    const modules = path.join(project, "node_modules");
    expect(fs.existsSync(path.join(modules, "node"))).toBe(false);
    expect(fs.existsSync(path.join(modules, ".bin", "node"))).toBe(false);
    for (const sdk of ["@pulumi/aws", "@pulumi/alicloud", "@alicloud/elasticsearch20170613"])
      expect(fs.existsSync(path.join(modules, sdk)), sdk).toBe(false);
    const resourcePackages = installedPackages(modules).filter((p) => p.manifest?.pulumi?.resource === true);
    expect(resourcePackages.map((p) => path.relative(modules, p.dir))).toEqual([]);
    const bytes = diskUsage(modules);
    console.log(
      `node_modules of a new user's install: ${(bytes / 1024 / 1024).toFixed(1)} MB (${installedPackages(modules).length} packages)`,
    );
    expect(bytes).toBeLessThanOrEqual(MAX_NODE_MODULES_BYTES);
  });

  it.each(SDK_FREE_ENTRIES)(
    "$entry loads without any cloud SDK, for require and for ESM named imports",
    ({ entry, names }) => {
      for (const esm of [false, true]) {
        const { run, types } = importedTypes(entry, names, esm);
        expect(run.status, run.stderr).toBe(0);
        expect(types).toEqual(allFunctions(names));
      }
    },
  );

  it.each(CLOUD_ENTRIES)(
    "$entry without its SDK fails at the import, naming what to install",
    ({ entry, sdks, component }) => {
      for (const esm of [false, true]) {
        const { run } = importedTypes(entry, [component], esm);
        expect(run.status).not.toBe(0);
        expect(run.stderr).toContain(`npm install ${sdks.join(" ")}`);
        expect(run.stderr).not.toContain("MODULE_NOT_FOUND");
      }
    },
  );

  it("runs a local migration program: pulumi preview, then up", async () => {
    const engine = await startEngine({ engine: "opensearch", version: "2.19.x" });
    const stack = await createStack({
      program: { dir: path.join(__dirname, "programs", "local-copy") },
      nodeModules: path.join(project, "node_modules"),
      config: { url: engine.url },
    });
    try {
      await seedDocuments(engine.url, "events", { count: 500 });
      const preview = await stack.previewEvents();
      expect(preview.changes).toEqual({ create: 3 });
      await stack.up();
      expect(await stack.outputs()).toMatchObject({ created: 500, destCount: 500 });
      expect(await countDocs(engine.url, "events-copy")).toBe(500);
    } finally {
      await stack.remove();
      await engine.stop();
    }
  });

  // Last: installing an SDK adds a resource package to this project.
  it.each(CLOUD_ENTRIES)(
    "$entry loads once its SDK is installed (require and ESM named imports)",
    ({ entry, sdks, component }) => {
      npmInstall(project, sdks.map(pinned));
      for (const esm of [false, true]) {
        const { run, types } = importedTypes(entry, [component], esm);
        expect(run.status, run.stderr).toBe(0);
        expect(types).toEqual({ [component]: "function" });
      }
    },
  );
});
