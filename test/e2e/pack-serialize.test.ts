// Pulumi stores a dynamic provider in the state as serialized JavaScript and runs it again for refresh, update and
// destroy. Ours is a small delegate that requires one stable entry of the package, `pulumi-es-migrate/runtime`,
// and names its provider. This test installs the packed package into a separate project, lets Pulumi serialize the
// providers of the public resources (exactly as `new DestinationIndex(...)` / `new Reindex(...)` do in a program)
// and loads the text in a fresh Node process from the project directory, the way the engine's dynamic-provider
// plugin does.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../world/cache";
import { emptyProject, npmInstall, packWorkingTree } from "../world/package";

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
// @pulumi/pulumi in the consumer project: the release the tests pin (a peer dependency of the package).
const PULUMI_SDK = `@pulumi/pulumi@${pkg.devDependencies["@pulumi/pulumi"]}`;

// Runs in the consumer project: constructs the public resources under Pulumi's mocks (no engine needed) and
// writes the `__provider` input Pulumi serialized for each, i.e. the text that would go into the state.
const SERIALIZE = `
const fs = require("node:fs");
const pulumi = require("@pulumi/pulumi");
const serialized = {};
pulumi.runtime.setMocks({
  newResource(args) {
    serialized[args.type] = args.inputs.__provider;
    return { id: args.name + "-id", state: args.inputs };
  },
  call: () => ({}),
}, "consumer", "test", false);
const { DestinationIndex, MigratedIndex, MigrationFinish, Reindex } = require("pulumi-es-migrate");
const cluster = { url: "http://127.0.0.1:9" };
new DestinationIndex("dest", { cluster, index: "dest" });
new Reindex("copy", { cluster, source: { index: "src" }, destIndex: "dest" });
new MigrationFinish("finish", { cluster, index: "dest", finalSettings: {} });
new MigratedIndex("migrated", { connections: { destination: cluster, source: cluster }, sourceIndex: "src", destIndex: "dest" });
// The constructors hand their inputs to the mocks asynchronously.
const wait = () => Object.keys(serialized).length === 4
  ? fs.writeFileSync("serialized.json", JSON.stringify(serialized))
  : setTimeout(wait, 50);
wait();
`;

// Runs in the consumer project: loads one serialized provider like @pulumi/pulumi/cmd/dynamic-provider does
// (require-from-string, module paths from the working directory), then calls its check with invalid inputs.
const LOAD = `
const path = require("node:path");
const text = JSON.parse(require("node:fs").readFileSync("serialized.json", "utf8"))[process.argv[1]];
const requireFromString = require(require.resolve("require-from-string", {
  paths: [path.dirname(require.resolve("@pulumi/pulumi"))],
}));
(async () => {
  const provider = requireFromString(text).handler();
  const methods = Object.keys(provider).filter((k) => typeof provider[k] === "function").sort();
  const check = await provider.check({}, {});
  process.stdout.write(JSON.stringify({ methods, failures: check.failures ?? [] }));
})().catch((err) => { process.stderr.write(String(err.stack ?? err)); process.exit(3); });
`;

function captured(text: string): string[] {
  return [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
}

describe("pack, install, serialize: dynamic providers from the installed package", () => {
  let project: string;
  let serialized: Record<string, string>;

  beforeAll(() => {
    // dist/ is built from the sources by the integration project's global setup.
    project = emptyProject("consumer");
    const tarball = packWorkingTree(project);
    npmInstall(project, [tarball, PULUMI_SDK]);
    fs.writeFileSync(path.join(project, "serialize.js"), SERIALIZE);
    execFileSync(process.execPath, ["serialize.js"], { cwd: project, stdio: "pipe" });
    serialized = JSON.parse(fs.readFileSync(path.join(project, "serialized.json"), "utf8"));
  });
  afterAll(() => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  function load(type: string) {
    return spawnSync(process.execPath, ["-e", LOAD, type], { cwd: project, encoding: "utf8" });
  }

  it("installs from the tarball as a real copy under node_modules", () => {
    const installed = path.join(project, "node_modules", "pulumi-es-migrate");
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(fs.existsSync(path.join(installed, "dist", "index.js"))).toBe(true);
  });

  const TYPES = ["DestinationIndex", "Reindex", "MigrationFinish", "MigratedIndex"].map(
    (t) => `pulumi-nodejs:dynamic/es-migrate:${t}`,
  );
  for (const type of TYPES) {
    it(`${type}: the state holds a small delegate that requires only the package's stable runtime entry`, () => {
      const text = serialized[type];
      expect(text, `no provider serialized for ${type}: ${Object.keys(serialized)}`).toBeTypeOf("string");
      console.log(`${type}: serialized provider ${text.length} bytes`);
      expect([...new Set(captured(text))]).toEqual(["pulumi-es-migrate/runtime"]);
      // 10-18 KB while providers were captured with their helpers; now a few forwarding methods.
      expect(text.length).toBeLessThan(2500);
      expect(text).not.toContain(project);
      expect(text).not.toContain(repoRoot);
    });

    it(`${type}: the serialized provider loads and runs in a fresh Node process`, () => {
      const run = load(type);
      expect(run.status, run.stderr).toBe(0);
      const { methods, failures } = JSON.parse(run.stdout);
      expect(methods).toEqual(expect.arrayContaining(["check", "create", "delete", "diff", "update"]));
      // Its own validation ran (so its captured modules loaded): empty inputs are refused, field by field.
      expect(failures.length).toBeGreaterThan(0);
      for (const f of failures) expect(f).toMatchObject({ property: expect.any(String), reason: expect.any(String) });
    });
  }

  it("without the ./runtime export the serialized providers cannot load (the entry is what state depends on)", () => {
    const manifest = path.join(project, "node_modules", "pulumi-es-migrate", "package.json");
    const original = fs.readFileSync(manifest, "utf8");
    const { "./runtime": _dropped, ...exports } = JSON.parse(original).exports;
    fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(original), exports }));
    try {
      const run = load("pulumi-nodejs:dynamic/es-migrate:DestinationIndex");
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
    } finally {
      fs.writeFileSync(manifest, original);
    }
  });
});
