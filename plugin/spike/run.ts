// Runs the spike: the YAML program of ./yaml under the real CLI of the test world, against one engine node, with the
// components served by way (a), ./component as a component package (PulumiPlugin.yaml, run from source by our
// Node.js language host), or way (b), ./provider, a provider plugin with a hand-written schema (an executable).
// `node` runs the same components locally from a Node.js program instead (the baseline: what TypeScript users do).
// Prints wall and CPU time of previews, the operations, the outputs and the resource types in the state.
// Usage: npx tsx plugin/spike/run.ts a|b|node [--custom] [--bare] [--keep]   (--custom: way b's children are custom
// resources of its own provider; --bare: no node_modules in the YAML project)   (needs dist/: `npm run build`)
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { startEngine } from "../../test/world/engines";
import { esJson } from "../../test/world/fixtures";
import { createStack, pulumiEnv, type PulumiResult } from "../../test/world/pulumi";

const repo = path.resolve(__dirname, "..", "..");
const way = ["a", "b", "node"].includes(process.argv[2]) ? process.argv[2] : "a";

async function timed<T extends PulumiResult>(label: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await run();
  console.log(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${result.code})`);
  return result;
}

/** Wall and CPU seconds (user + system of the CLI and of every process it started, plugins included) of one command. */
function measure(label: string, bin: string, dir: string, env: NodeJS.ProcessEnv, args: string[]): void {
  const command = [path.join(__dirname, "cputime.py"), path.join(bin, "pulumi"), ...args, "--non-interactive"];
  const out = spawnSync("python3", command, { cwd: dir, env, encoding: "utf8" });
  const [wall, cpu, code] = out.stdout.trim().split(" ");
  console.log(`${label}: wall ${wall} s, cpu ${cpu} s (exit ${code})`);
}

async function main(): Promise<void> {
  const yamlBin = execFileSync("bash", [path.join(repo, "test/world/pulumi-yaml/build.sh")], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  const stackEnv = {
    PATH: [yamlBin, path.join(repo, "node_modules", ".bin"), process.env.PATH].join(path.delimiter),
    SPIKE_CUSTOM_CHILDREN: process.argv.includes("--custom") ? "1" : undefined,
  };
  const node = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  const stack = await createStack({
    program: { dir: path.join(__dirname, way === "node" ? "node" : "yaml") },
    config: { url: node.url },
    env: stackEnv,
  });
  try {
    // The component folder inside the project: it resolves @pulumi/pulumi and pulumi-es-migrate from the project's
    // node_modules, as the dynamic providers its children register do (they start in the project folder).
    const component = path.join(stack.dir, "component");
    cpSync(path.join(__dirname, "component"), component, { recursive: true });
    let served = component;
    if (way === "b") {
      served = path.join(stack.dir, "provider");
      cpSync(path.join(__dirname, "provider"), served, { recursive: true });
      const project = path.join(stack.dir, "Pulumi.yaml");
      writeFileSync(
        project,
        readFileSync(project, "utf8").replace("es-migrate-spike: ./component", "es-migrate-spike: ./provider"),
      );
    }
    execFileSync(path.join(repo, "node_modules", ".bin", "tsc"), ["-p", served], { stdio: "inherit" });
    console.log(`way ${way}: ${served}`);
    if (way !== "node") rmSync(path.join(stack.dir, "index.js"), { force: true });
    // --bare: the YAML project has no node_modules (a Python or YAML user's project): they move into the plugin
    // folder (both folders, for way b, whose provider loads ../component).
    if (process.argv.includes("--bare")) {
      const plugin = way === "b" ? path.join(stack.dir, "plugin") : served;
      if (way === "b") {
        mkdirSync(plugin);
        for (const folder of ["component", "provider"])
          renameSync(path.join(stack.dir, folder), path.join(plugin, folder));
        const f = path.join(stack.dir, "Pulumi.yaml");
        writeFileSync(f, readFileSync(f, "utf8").replace("./provider", "./plugin/provider"));
      }
      renameSync(path.join(stack.dir, "node_modules"), path.join(plugin, "node_modules"));
      rmSync(path.join(stack.dir, "package.json"));
    }

    const env = pulumiEnv({ binDir: yamlBin, backendUrl: `file://${stack.stateDir}`, extra: stackEnv });
    const preview = await timed("preview (first)", () => stack.previewEvents({ check: false }));
    console.log(preview.steps.map((s) => `${s.op} ${s.type} ${s.name}`).join("\n"));
    if (preview.code !== 0) console.log(preview.stdout, preview.stderr);
    for (const n of [1, 2]) measure(`preview ${n} of an empty stack`, yamlBin, stack.dir, env, ["preview"]);
    const up = await timed("up", () => stack.upEvents({ check: false }));
    console.log(JSON.stringify(up.changes));
    if (up.code !== 0) console.log(up.stdout, up.stderr);
    console.log("outputs", JSON.stringify(await stack.outputs()));
    const settings = await esJson(node.url, "GET", "/spike-target/_settings");
    console.log("spike-target shards on the node:", settings["spike-target"]?.settings?.index?.number_of_shards);
    const state = await stack.exportState();
    for (const r of state.deployment.resources ?? []) console.log(`state: ${r.type} ${r.urn.split("::").pop()}`);
    const again = await timed("preview (after up)", () => stack.previewEvents());
    console.log(JSON.stringify(again.changes));
    for (const n of [1, 2]) measure(`preview ${n} after up`, yamlBin, stack.dir, env, ["preview"]);
    await timed("destroy", () => stack.destroy());
  } finally {
    if (process.argv.includes("--keep")) console.log("kept", stack.dir);
    else await stack.remove();
    await node.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
