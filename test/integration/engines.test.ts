// The test world's engines: real Elasticsearch 7.10 / 6.8 sources and an OpenSearch 2.19 destination on loopback,
// remote reindex between them, each engine's own allow-list refusal, and the node lifecycle (failed start, stop,
// parent killed, the CLI). At most two JVMs run at a time.
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../world/cache";
import { resolveEngine, startEngine, type EngineNode } from "../world/engines";
import { EngineHttpError, countDocs, esJson, readIds, seedDocuments } from "../world/fixtures";

const DOCS = 10_000;

function remoteReindex(dest: string, sourceUrl: string, index: string, destIndex: string) {
  return esJson(dest, "POST", "/_reindex?wait_for_completion=true&refresh=true", {
    source: { remote: { host: sourceUrl }, index, size: 1000 },
    dest: { index: destIndex },
  });
}

async function reindexError(dest: string, sourceUrl: string): Promise<EngineHttpError> {
  const err = await remoteReindex(dest, sourceUrl, "docs", "never").then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EngineHttpError);
  return err as EngineHttpError;
}

// A process that exited but was not reaped yet (a zombie, state Z) still answers kill(pid, 0): it is not running.
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.each([
  { sourceVersion: "7.10.2", label: "Elasticsearch 7.10.2" },
  { sourceVersion: "6.8.x", label: "Elasticsearch 6.8" },
])("$label source -> OpenSearch 2.19 destination", ({ sourceVersion }) => {
  let source: EngineNode;
  let dest: EngineNode;

  beforeAll(async () => {
    source = await startEngine({ engine: "elasticsearch", version: sourceVersion });
    dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
    await seedDocuments(source.url, "docs", { count: DOCS });
  });

  afterAll(async () => {
    await dest?.stop();
    await source?.stop();
  });

  it(`copies all ${DOCS} documents with a remote reindex: counts and ID sets equal`, async () => {
    const res = await remoteReindex(dest.url, source.url, "docs", "copy");
    expect(res).toMatchObject({ created: DOCS, failures: [] });
    expect(await countDocs(dest.url, "copy")).toBe(DOCS);
    const [sourceIds, destIds] = await Promise.all([readIds(source.url, "docs"), readIds(dest.url, "copy")]);
    expect(sourceIds.size).toBe(DOCS);
    expect(destIds).toEqual(sourceIds);
  });

  it("refuses a source spelled differently from the allow list with OpenSearch's own error", async () => {
    // The allow list holds 127.0.0.1:<port>; the same node as localhost:<port> is another entry to the engine.
    const host = `localhost:${source.port}`;
    const err = await reindexError(dest.url, `http://${host}`);
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.body)).toContain(`[${host}] not allowlisted in reindex.remote.allowlist`);
  });

  it("refuses any remote source on a node started without an allow list, with Elasticsearch's own error", async () => {
    const err = await reindexError(source.url, dest.url);
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.body)).toContain(`[127.0.0.1:${dest.port}] not whitelisted in reindex.remote.whitelist`);
  });
});

describe("node lifecycle", () => {
  it("resolves pinned lines to the verified patch and refuses Elasticsearch 8 with the reason", () => {
    expect(resolveEngine("opensearch", "2.19.x").version).toBe("2.19.6");
    expect(resolveEngine("elasticsearch", "6.8").version).toBe("6.8.23");
    expect(resolveEngine("elasticsearch", "7.10.2").version).toBe("7.10.2");
    expect(() => resolveEngine("elasticsearch", "8.15.0")).toThrow(/no reindex module to Maven Central/);
  });

  it("a node that cannot start fails with its log file path and the engine's own reason", async () => {
    const started = startEngine({ engine: "elasticsearch", version: "7.10.2", settings: { "no.such.setting": "x" } });
    await expect(started).rejects.toThrow(/log: \/.*\.log\n[\s\S]*unknown setting \[no\.such\.setting\]/);
  });

  it("stop() ends the JVM and frees its port", async () => {
    const node = await startEngine({ engine: "opensearch", version: "2.19.x" });
    expect((await esJson(node.url, "GET", "/")).version.number).toBe("2.19.6");
    await node.stop();
    expect(processAlive(node.pid)).toBe(false);
    await expect(fetch(node.url)).rejects.toThrow();
  });

  it("a node stops when the process that started it is killed with SIGKILL", async () => {
    const script = `
      const { startEngine } = require(${JSON.stringify(path.join(repoRoot, "test/world/engines"))});
      startEngine({ engine: "elasticsearch", version: "7.10.2" }).then((n) => console.log(JSON.stringify({ pid: n.pid, url: n.url })));
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["--import", "tsx", "-e", script], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const node = await new Promise<{ pid: number; url: string }>((resolve, reject) => {
      let out = "";
      parent.stdout!.on("data", (d) => {
        out += d;
        if (out.includes("\n")) resolve(JSON.parse(out));
      });
      parent.on("exit", (code) => reject(new Error(`parent exited early (${code})`)));
    });
    expect((await esJson(node.url, "GET", "/")).version.number).toBe("7.10.2");
    parent.kill("SIGKILL");
    await waitFor(`JVM ${node.pid} to exit after its parent died`, () => !processAlive(node.pid), 30_000);
  });

  it("the CLI starts a node that outlives it, lists it and stops it by name", async () => {
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/engine.ts", ...args], { cwd: repoRoot });
    const name = `cli-test-${process.pid}`;
    const { stdout } = await cli("start", "elasticsearch@7.10.2", "--name", name, "--allow", "127.0.0.1:1");
    const url = stdout.trim();
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // The CLI has exited; the node answers with the allow list exactly as given.
      const settings = await esJson(url, "GET", "/_nodes/settings");
      expect(JSON.stringify(settings)).toContain(`"whitelist":"127.0.0.1:1"`);
      expect((await cli("list")).stdout).toContain(`${name}\telasticsearch@7.10.2\t${url}`);
    } finally {
      expect((await cli("stop", name)).stdout).toContain(`stopped ${name}`);
    }
    expect((await cli("list")).stdout).not.toContain(name);
    await expect(fetch(url)).rejects.toThrow();
  });
});
