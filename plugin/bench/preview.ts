// What a preview costs from YAML (the plugin) against TypeScript (the dynamic providers), for the same migration:
// one IndexMigration of a 100-document index on one Elasticsearch 7.10.2 node, test/e2e/programs/yaml-index-migration
// and its Node.js twin. Prints wall and CPU seconds (the CLI and every process it started, plugins included) of two
// previews of an empty stack and two after `up`, for each.
// Usage: npx tsx plugin/bench/preview.ts   (needs dist/: `npm run build`; the YAML host: `npm run world -- build`)
import { spawnSync } from "node:child_process";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { repoRoot } from "../../test/world/cache";
import { startEngine } from "../../test/world/engines";
import { esJson, seedDocuments } from "../../test/world/fixtures";
import { createStack, pulumiEnv, type TestStack } from "../../test/world/pulumi";
import { ensurePulumiYaml } from "../../test/world/pulumi-yaml";

const NODE_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { IndexMigration } = require("pulumi-es-migrate");
const cfg = new pulumi.Config();
const orders = new IndexMigration("orders", {
  source: { url: cfg.require("cluster"), username: "reader", password: cfg.requireSecret("password") },
  destination: { url: cfg.require("cluster") },
  index: "orders",
  destIndex: "orders-v2-node",
  transport: "client",
  mode: { type: "incremental", field: "ts" },
});
exports.summary = orders.summary;
`;

/** Wall and CPU seconds of one `pulumi preview` (cputime.py reaps every process the CLI started). */
function measure(bin: string, stack: TestStack): string {
  const env = pulumiEnv({ binDir: bin, backendUrl: `file://${stack.stateDir}` });
  const cputime = path.join(__dirname, "..", "spike", "cputime.py");
  const run = spawnSync("python3", [cputime, path.join(bin, "pulumi"), "preview", "--non-interactive"], {
    cwd: stack.dir,
    env,
    encoding: "utf8",
  });
  const [wall, cpu, code] = run.stdout.trim().split(" ");
  if (code !== "0") throw new Error(`preview failed (exit ${code}) in ${stack.dir}`);
  return `wall ${wall} s, cpu ${cpu} s`;
}

async function main(): Promise<void> {
  const yamlBin = await ensurePulumiYaml();
  const node = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  const stacks: TestStack[] = [];
  try {
    await esJson(node.url, "PUT", "/orders", { settings: { number_of_shards: 1, number_of_replicas: 0 } });
    await seedDocuments(node.url, "orders", { count: 100, doc: (n) => ({ n, ts: n }) });
    const config = { cluster: node.url, password: { secret: "bench-password" } };
    const yaml = await createStack({
      program: { dir: path.join(repoRoot, "test", "e2e", "programs", "yaml-index-migration") },
      binDir: yamlBin,
      nodeModules: false,
      config,
    });
    stacks.push(yaml);
    await fs.symlink(path.join(repoRoot, "plugin"), path.join(yaml.dir, "plugin"));
    const ts = await createStack({ program: NODE_PROGRAM, config });
    stacks.push(ts);
    for (const [label, stack] of [
      ["YAML (plugin)", yaml],
      ["TypeScript (dynamic providers)", ts],
    ] as const) {
      for (const n of [1, 2]) console.log(`${label}, preview ${n} of an empty stack: ${measure(yamlBin, stack)}`);
      await stack.up();
      for (const n of [1, 2]) console.log(`${label}, preview ${n} after up: ${measure(yamlBin, stack)}`);
    }
  } finally {
    for (const stack of stacks) await stack.remove();
    await node.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
