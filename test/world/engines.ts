// Real OpenSearch and Elasticsearch nodes on loopback for tests and `npm run engine`: one embedded node per JVM
// (launchers in ./engines), built with Maven on first use and cached, started with plain `java -cp`.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { cacheDir } from "./cache";
import { buildEngine as buildLauncher, tail, type BuiltEngine } from "./engines/build";
import { javaBin } from "./engines/jdk";
import { COMMON_JVM_FLAGS, nodeSettings, resolveEngine, type EngineKind, type ResolvedEngine } from "./engines/lines";
import { isNodeProcess, listRecords, readRecord, removeRecord, writeRecord, type NodeRecord } from "./engines/registry";

export { ENGINE_LINES, parseEngineSpec, resolveEngine, type EngineKind } from "./engines/lines";
export { listRecords as listEngines, type NodeRecord } from "./engines/registry";

/** Env var naming the current test run; nodes started under it are stopped by the global teardown. */
export const RUN_ID_ENV = "PULUMI_ES_MIGRATE_RUN_ID";

export interface StartEngineOptions {
  /** Which engine. */
  engine: EngineKind;
  /** Exact version ("7.10.2") or a pinned line ("2.19.x", "6.8.x"); see ENGINE_LINES. */
  version: string;
  /** Node and cluster name; default `<engine>-<version>-<random>`. Set it to address the node by name from the CLI. */
  name?: string;
  /** HTTP port on 127.0.0.1; default a free port. */
  port?: number;
  /**
   * Hosts this node may remote-reindex from (`host:port`, matched literally by the engine), written to
   * `reindex.remote.whitelist` (Elasticsearch) or `reindex.remote.allowlist` (OpenSearch) as a comma list.
   * Default: none, so every remote reindex is refused.
   */
  allow?: string[];
  /** Extra node settings (static ones included), applied last: they override the defaults above. */
  settings?: Record<string, string>;
  /**
   * The JVM's maximum heap (`-Xmx`), e.g. "1g", instead of the common 512m: for nodes that index or copy documents of
   * tens of megabytes (each is held several times while parsed and written).
   */
  heap?: string;
  /**
   * Keep the node running after this process exits (the CLI's `start`); default false: the node stops with the
   * process that started it, even if that process is killed.
   */
  detached?: boolean;
  /** How long to wait for the node to answer with a yellow or green cluster; default 180 s. */
  timeoutMs?: number;
}

/** A running node. */
export interface EngineNode {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  name: string;
  engine: EngineKind;
  /** Exact version running. */
  version: string;
  port: number;
  transportPort: number;
  pid: number;
  /** The node's console output (kept after it stops). */
  logFile: string;
  /** Milliseconds from spawning the JVM to a yellow or green cluster. */
  startupMs: number;
  /** Stops the JVM (SIGTERM, then SIGKILL after 20 s) and removes the node's data. */
  stop(): Promise<void>;
  /**
   * Stops the JVM (SIGTERM, then SIGKILL after 20 s) and starts it again on the same home (data, config) and ports,
   * as an operator's restart does; resolves when the cluster is yellow or green again. `pid` is the new JVM's after.
   */
  restart(): Promise<void>;
}

/** Builds (or finds cached) the launcher of an engine version; `npm run engine -- build` calls it. */
export async function buildEngine(engine: EngineKind, version: string): Promise<BuiltEngine & { version: string }> {
  const resolved = resolveEngine(engine, version);
  return { ...(await buildLauncher(resolved)), version: resolved.version };
}

/** Starts one node and waits until it answers `GET /` and its cluster health is at least yellow. */
export async function startEngine(options: StartEngineOptions): Promise<EngineNode> {
  const resolved = resolveEngine(options.engine, options.version);
  const built = await buildLauncher(resolved);
  // Ports we picked can be taken by someone else before the JVM binds them: then pick again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(resolved, built, options);
    } catch (err) {
      const portsChosen = options.port === undefined;
      if (!(err instanceof PortInUseError) || !portsChosen || attempt >= 3) throw err;
    }
  }
}

class PortInUseError extends Error {}

/** The common flags, with `-Xmx<heap>` in place of the default heap when one is given. */
export function jvmFlags(heap: string | undefined): string[] {
  if (heap === undefined) return [...COMMON_JVM_FLAGS];
  if (!/^[1-9][0-9]*[mg]$/.test(heap)) throw new Error(`heap "${heap}": use a size like "512m" or "1g"`);
  return COMMON_JVM_FLAGS.map((f) => (f.startsWith("-Xmx") ? `-Xmx${heap}` : f));
}

async function startOnce(
  resolved: ResolvedEngine,
  built: BuiltEngine,
  options: StartEngineOptions,
): Promise<EngineNode> {
  const name = options.name ?? `${resolved.engine}-${resolved.version}-${randomBytes(3).toString("hex")}`;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`node name "${name}": use letters, digits, ".", "_" or "-"`);
  const existing = readRecord(name);
  if (existing && isNodeProcess(existing))
    throw new Error(`a node named "${name}" is already running at ${existing.url}`);

  const port = options.port ?? (await freePort());
  const transportPort = await freePort();
  const home = cacheDir("run", "engines", name);
  const logFile = cacheDir("run", "logs", `${name}.log`);
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(path.join(home, "config"), { recursive: true });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  pruneOldLogs(path.dirname(logFile));
  const settings = nodeSettings({
    line: resolved.line,
    name,
    home,
    logsDir: path.join(home, "logs"),
    httpPort: port,
    transportPort,
    allow: options.allow,
    settings: options.settings,
  });
  fs.writeFileSync(path.join(home, "config", resolved.line.configFile), JSON.stringify(settings, null, 2));

  const args = [
    ...jvmFlags(options.heap),
    ...resolved.line.jvmFlags,
    `-Djava.io.tmpdir=${path.join(home, "tmp")}`,
    "-cp",
    built.classpath,
    "testworld.EngineNode",
    home,
    ...(options.detached ? [] : ["--exit-with-parent"]),
  ];
  fs.mkdirSync(path.join(home, "tmp"));
  const java = javaBin(resolved.line.minJava);
  const record: NodeRecord = {
    name,
    engine: resolved.engine,
    version: resolved.version,
    url: `http://127.0.0.1:${port}`,
    port,
    transportPort,
    pid: 0,
    home,
    logFile,
    ownerPid: options.detached ? undefined : process.pid,
    runId: options.detached ? undefined : process.env[RUN_ID_ENV],
    startedAt: "",
  };
  // Spawns the JVM on the node's home and waits until it is ready; a restart calls it again (log appended).
  const launch = async (logFlags: "w" | "a"): Promise<number> => {
    const out = fs.openSync(logFile, logFlags);
    const spawnedAt = Date.now();
    const child = spawn(java, args, {
      // Attached nodes read a pipe from us: when this process dies, however, the pipe closes and the node exits.
      stdio: [options.detached ? "ignore" : "pipe", out, out],
      detached: options.detached ?? false,
    });
    fs.closeSync(out);
    record.pid = await new Promise<number>((resolve, reject) => {
      child.once("spawn", () => resolve(child.pid!));
      child.once("error", (err) => reject(new Error(`could not run ${java}: ${err.message}`)));
    });
    record.startedAt = new Date(spawnedAt).toISOString();
    writeRecord(record);
    if (options.detached) child.unref();
    else track(child, record);
    try {
      await waitUntilReady(record, child, options.timeoutMs ?? 180_000);
    } catch (err) {
      await stopNode(record);
      const log = tail(logFile, 40);
      const msg = `${resolved.engine} ${resolved.version} node "${name}" did not start: ${(err as Error).message}\nlog: ${logFile}\n${log}`;
      throw /BindException|Address already in use/.test(log) ? new PortInUseError(msg) : new Error(msg);
    }
    if (options.detached) child.stdin?.destroy();
    return spawnedAt;
  };
  const spawnedAt = await launch("w");
  const startupMs = Date.now() - spawnedAt;
  const node: EngineNode = {
    url: record.url,
    name,
    engine: resolved.engine,
    version: resolved.version,
    port,
    transportPort,
    pid: record.pid,
    logFile,
    startupMs,
    stop: () => stopNode(record),
    async restart() {
      await stopNode(record, { keepData: true });
      await launch("a");
      node.pid = record.pid;
    },
  };
  return node;
}

const LOG_RETENTION_MS = 3 * 24 * 3600_000;
let logsPruned = false;

// Auto-named nodes leave one log each: keep a few days of them for post-mortems, not forever.
function pruneOldLogs(dir: string): void {
  if (logsPruned) return;
  logsPruned = true;
  for (const file of fs.readdirSync(dir)) {
    const p = path.join(dir, file);
    if (Date.now() - fs.statSync(p).mtimeMs > LOG_RETENTION_MS) fs.rmSync(p, { force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(record: NodeRecord, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  const onExit = (code: number | null, signal: string | null) =>
    (exited = `the JVM exited (${signal ?? `code ${code}`})`);
  child.once("exit", onExit);
  try {
    while (Date.now() < deadline) {
      if (exited) throw new Error(exited);
      try {
        const res = await fetch(`${record.url}/_cluster/health?wait_for_status=yellow&timeout=5s`, {
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await res.json()) as { status?: string };
        if (res.ok && (body.status === "yellow" || body.status === "green")) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no yellow or green cluster health within ${Math.round(timeoutMs / 1000)} s`);
  } finally {
    child.off("exit", onExit);
  }
}

// Nodes this process started and has not stopped yet.
const tracked = new Map<string, { child: ChildProcess; record: NodeRecord }>();
let handlersInstalled = false;

function track(child: ChildProcess, record: NodeRecord): void {
  tracked.set(record.name, { child, record });
  // The pipe must not keep this process alive: when it exits, the pipe closes and the node follows.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  child.stdin?.on("error", () => {});
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Only synchronous work is possible here: the records stay until a later listing finds the JVMs gone.
  process.on("exit", () => {
    for (const { record: r } of tracked.values()) killQuietly(r.pid, "SIGTERM");
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const handler = () => {
      for (const { record: r } of tracked.values()) killQuietly(r.pid, "SIGTERM");
      // Without us the signal would have ended the process: keep it that way unless someone else handles it.
      if (process.listenerCount(signal) === 1) {
        process.off(signal, handler);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** Stops the node's JVM and removes its record and (unless `keepData`, for a restart) its home. */
async function stopNode(record: NodeRecord, { keepData = false } = {}): Promise<void> {
  tracked.delete(record.name);
  if (isNodeProcess(record)) {
    killQuietly(record.pid, "SIGTERM");
    const deadline = Date.now() + 20_000;
    while (isNodeProcess(record) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isNodeProcess(record)) killQuietly(record.pid, "SIGKILL");
    while (isNodeProcess(record)) await new Promise((r) => setTimeout(r, 50));
  }
  if (keepData) return;
  removeRecord(record.name);
  fs.rmSync(record.home, { recursive: true, force: true });
}

/** Stops the node registered under `name` (by this process or any other). False if no such node runs. */
export async function stopEngineByName(name: string): Promise<boolean> {
  const record = readRecord(name);
  if (!record) return false;
  const running = isNodeProcess(record);
  await stopNode(record);
  return running;
}

/**
 * Stops the nodes this process started and, under a test run (env PULUMI_ES_MIGRATE_RUN_ID), every node of that
 * run, whichever worker started it. With `everything`, also the nodes the CLI started. Returns their names.
 */
export async function stopAllEngines(options: { everything?: boolean } = {}): Promise<string[]> {
  const runId = process.env[RUN_ID_ENV];
  const mine = new Set(tracked.keys());
  const targets = listRecords().filter(
    (r) => options.everything || mine.has(r.name) || (runId !== undefined && r.runId === runId),
  );
  await Promise.all(targets.map((r) => stopNode(r)));
  return targets.map((r) => r.name);
}
