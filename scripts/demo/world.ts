// The real parts the demo, its end-to-end test and the preview benchmark run on: the Pulumi CLI and the engine
// builds (made on first use, which takes minutes), an Elasticsearch 7.10 source and an OpenSearch 2.19
// destination that may pull from it, and a stack of the local example program.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../../test/world/cache";
export { buildPackage } from "../../test/world/build";
import { buildEngine, startEngine, type EngineKind } from "../../test/world/engines";
import {
  builtPulumiBinDir,
  createStack,
  ensurePulumiCli,
  type ConfigValue,
  type TestStack,
} from "../../test/world/pulumi";

export type EngineNode = Awaited<ReturnType<typeof startEngine>>;

/** Source and destination the way the demo uses them. */
export const SOURCE_ENGINE = { engine: "elasticsearch" as EngineKind, version: "7.10.2" };
export const DESTINATION_ENGINE = { engine: "opensearch" as EngineKind, version: "2.19.x" };

/** The project name of the local example (config keys are namespaced by it). */
export const LOCAL_PROJECT = "pulumi-es-migrate-local";

type Log = (line: string) => void;

/**
 * Makes sure the Pulumi CLI and both engine launchers are built, saying so when a build is needed: a fresh clone
 * compiles the CLI from Pulumi's Go modules (about 5 minutes on 2 cores) and downloads the engines' jars from Maven
 * Central (about a minute each). Later runs find them in the cache and skip this.
 */
export async function prepareWorld(log: Log): Promise<void> {
  const pulumiBuilt = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"].every((f) =>
    existsSync(path.join(builtPulumiBinDir(), f)),
  );
  const started = Date.now();
  if (!pulumiBuilt) {
    log(
      "building the Pulumi CLI from its Go modules (first run only: no `pulumi` on PATH; about 5 minutes on 2 cores)...",
    );
  }
  const cli = ensurePulumiCli();
  for (const { engine, version } of [SOURCE_ENGINE, DESTINATION_ENGINE]) {
    log(
      `checking the ${engine} ${version} build (a first run downloads its jars from Maven Central and compiles a launcher)...`,
    );
    await buildEngine(engine, version);
  }
  log(`Pulumi CLI: ${await cli}`);
  log(`test world ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Starts the source and the destination (the destination allowed to remote-reindex from the source). */
export async function startClusters(): Promise<{ source: EngineNode; destination: EngineNode }> {
  const source = await startEngine(SOURCE_ENGINE);
  try {
    const destination = await startEngine({ ...DESTINATION_ENGINE, allow: [new URL(source.url).host] });
    return { source, destination };
  } catch (err) {
    await source.stop();
    throw err;
  }
}

/** Config of the local example (keys as in examples/local/README.md). */
export interface LocalConfig {
  sourceUrl: string;
  destinationUrl: string;
  sourceRemoteHost?: string;
  sourceUsername?: string;
  sourcePassword?: string;
  destinationUsername?: string;
  destinationPassword?: string;
  include?: string[];
  exclude?: string[];
  mode?: "full" | "incremental";
  incrementalField?: string;
  partitions?: number;
  requestsPerSecond?: number;
  concurrency?: number;
  groups?: number;
  deletionProtection?: boolean;
}

/** The config values to set for `cfg` (passwords as secrets, lists as JSON). */
export function localConfigValues(cfg: LocalConfig): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(cfg)) {
    if (value === undefined) continue;
    if (key.endsWith("Password")) out[key] = { secret: String(value) };
    else if (Array.isArray(value)) out[key] = JSON.stringify(value);
    else out[key] = String(value);
  }
  return out;
}

/**
 * A stack of the local example as a user would run it: the compiled examples/local program (dist/ must be built),
 * the package installed in the project's node_modules, the real CLI on a local file backend with a passphrase.
 */
export async function createLocalStack(cfg: LocalConfig, env?: Record<string, string | undefined>): Promise<TestStack> {
  const program = readFileSync(path.join(repoRoot, "dist", "examples", "local", "index.js"), "utf8");
  return createStack({ program, project: LOCAL_PROJECT, stack: "demo", config: localConfigValues(cfg), env });
}
