// Pulumi's YAML language host for the test world: YAML programs (the served plugin's consumers) run under the same
// real CLI as Node.js ones. Built from the `github.com/pulumi/pulumi-yaml` Go module by pulumi-yaml/build.sh (about 12
// minutes cold on 2 cores, cached under the shared cache; a warm call returns at once).
import { spawn } from "node:child_process";
import { accessSync, constants as fsConstants } from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { cacheDir } from "./cache";
import { builtPulumiBinDir, ensurePulumiCli } from "./pulumi";

let ensuring: Promise<string> | undefined;

const executable = (file: string) => {
  try {
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The folder holding `pulumi`, our Node.js host and `pulumi-language-yaml`, to put first on PATH (`createStack`'s
 * `binDir`): a `pulumi` on PATH with its own YAML host beside it, else the cached build (built first when missing).
 */
export function ensurePulumiYaml(): Promise<string> {
  ensuring ??= (async () => {
    const cli = await ensurePulumiCli();
    if (cli !== builtPulumiBinDir() && executable(path.join(cli, "pulumi-language-yaml"))) return cli;
    return buildYamlHost();
  })();
  ensuring.catch(() => (ensuring = undefined));
  return ensuring;
}

async function buildYamlHost(): Promise<string> {
  const log = cacheDir("pulumi-yaml", "build.log");
  await fs.mkdir(path.dirname(log), { recursive: true });
  const out = await fs.open(log, "w");
  let stdout = "";
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      // Long CPU work on a shared machine: below the tests' own processes.
      const child = spawn("nice", ["-n", "10", "bash", path.join(__dirname, "pulumi-yaml", "build.sh"), cacheDir()], {
        stdio: ["ignore", "pipe", out.fd],
      });
      child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.on("error", reject);
      child.on("close", resolve);
    });
    if (code !== 0) throw new Error(`building Pulumi's YAML language host failed (exit ${code}); see ${log}`);
  } finally {
    await out.close();
  }
  return stdout.trim().split("\n").pop()!;
}
