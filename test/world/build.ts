// Builds every part of the test world (each engine line's launcher with Maven, the Pulumi CLI, its Node.js language
// host and Pulumi's YAML language host with Go), so that a cold machine pays the build once, up front, with its time printed, instead of
// inside the first test that needs a part. Warm calls return at once.
import { execFileSync } from "node:child_process";
import { repoRoot } from "./cache";
import { ENGINE_LINES, buildEngine } from "./engines";
import { ensurePulumiCli } from "./pulumi";
import { ensurePulumiYaml } from "./pulumi-yaml";

async function timed<T>(what: string, log: (line: string) => void, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await step();
  log(`${what}\t${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** Builds (or finds cached) the engines, the Pulumi CLI and the YAML host; returns the CLI's directory. */
export async function buildTestWorld(log: (line: string) => void): Promise<string> {
  // The Go build is the long one (minutes on 2 cores, cold): Maven's downloads run beside it.
  const cli = timed("pulumi cli", log, ensurePulumiCli);
  // The YAML host shares the CLI's Go caches: built after it, beside Maven's work.
  const yaml = cli.then(() => timed("pulumi yaml host", log, ensurePulumiYaml));
  const engines = (async () => {
    for (const line of ENGINE_LINES) {
      for (const version of line.verified)
        await timed(`${line.engine}@${version}`, log, () => buildEngine(line.engine, version));
    }
  })();
  const [bin] = await Promise.all([cli, engines, yaml]);
  return bin;
}

/** Compiles the package into dist/: Pulumi programs and their serialized providers load it from there. */
export function buildPackage(output: "inherit" | "pipe" = "inherit"): void {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: repoRoot,
    stdio: output,
  });
}
