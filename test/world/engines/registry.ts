// Which nodes are running: one JSON file per node under <cache>/run/engines, so the CLI's `stop`/`list` and the
// test run's global teardown find nodes that other processes (the CLI, vitest workers) started.
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir } from "../cache";

/** A running node, as recorded when it started. */
export interface NodeRecord {
  name: string;
  engine: string;
  version: string;
  url: string;
  port: number;
  transportPort: number;
  pid: number;
  /** Node home (config, data): removed when the node stops. */
  home: string;
  logFile: string;
  /** Process that started the node and owns it; absent for detached nodes (the CLI's), which outlive it. */
  ownerPid?: number;
  /** The test run that started the node (env PULUMI_ES_MIGRATE_RUN_ID); absent for nodes started by the CLI. */
  runId?: string;
  startedAt: string;
}

function registryDir(): string {
  return cacheDir("run", "engines");
}

function recordFile(name: string): string {
  return path.join(registryDir(), `${name}.json`);
}

export function writeRecord(record: NodeRecord): void {
  fs.mkdirSync(registryDir(), { recursive: true });
  fs.writeFileSync(recordFile(record.name), JSON.stringify(record, null, 2));
}

export function removeRecord(name: string): void {
  fs.rmSync(recordFile(name), { force: true });
}

export function readRecord(name: string): NodeRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(recordFile(name), "utf8")) as NodeRecord;
  } catch {
    return undefined;
  }
}

/**
 * True if `pid` is still this node's JVM: the pid is alive and its command line names the launcher and the node's
 * home, so a recycled pid is never mistaken for (and killed as) a node.
 */
export function isNodeProcess(record: NodeRecord): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${record.pid}/cmdline`, "utf8");
    return cmdline.includes("testworld.EngineNode") && cmdline.includes(record.home);
  } catch {
    return false;
  }
}

/** Records of nodes whose JVM is still running; records (and homes) of nodes gone for good are removed. */
export function listRecords(): NodeRecord[] {
  let files: string[];
  try {
    files = fs.readdirSync(registryDir()).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  const out: NodeRecord[] = [];
  for (const file of files) {
    const record = readRecord(file.slice(0, -".json".length));
    if (record && isNodeProcess(record)) out.push(record);
    // A record written a moment ago may precede its JVM's exec: only older ones are stale.
    else if (record && Date.now() - Date.parse(record.startedAt) > 30_000) {
      removeRecord(record.name);
      fs.rmSync(record.home, { recursive: true, force: true });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
