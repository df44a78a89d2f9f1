// A `pulumi up` killed outright (SIGKILL of the CLI, as a cancelled CI job or a closed laptop does it) while an
// application keeps writing at the source: ClusterMigration of four indices, incremental on a timestamp with two
// partitions, `verify: "ids"`, `deletes: "reconcile"`, Elasticsearch 7.10 -> OpenSearch 2.19, killed once mid-copy
// and once mid-verification, then the writer stops and one `up` runs. What a user sees: the provider process of each
// killed run stops by itself within seconds, the `up` after the steps the CLI prints (docs/failures.md) finishes the
// job, the destination then holds exactly the source's documents, the preview after that plans nothing (before, it
// could plan updates: providers of killed runs went on writing at the destination), and no provider is left.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngine, type EngineNode } from "../world/engines";
import { migrationProgram, seedIndices, startWriter } from "../../bench/chaos/writer";
import { readSources } from "../world/fixtures";
import { startProxy, type Proxy } from "../world/proxy";
import { createStack, messages, type RunningCommand, type TestStack } from "../world/pulumi";

const INDICES = ["alpha", "bravo", "charlie", "delta"];

// The providers read the source through the proxy (so the test can hold their reads back); the destination's remote
// reindex reads it directly.
const program = migrationProgram(100);

let source: EngineNode;
let dest: EngineNode;
let proxy: Proxy;
let stack: TestStack;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Processes working in the stack's folder (the CLI, its language host, the program, the providers) and their pids. */
function processesIn(dir: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      // An exited process not reaped yet (a zombie) has an empty command line: it runs nothing.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      if (cmdline !== "" && readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) found.push({ pid: Number(pid), cmdline });
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

const providersIn = (dir: string) => processesIn(dir).filter((p) => p.cmdline.includes("dynamic-provider"));

/** Kills the CLI alone (its plugins run in process groups of their own) and returns how long its providers lived on. */
async function killCli(run: RunningCommand): Promise<{ providers: number; goneAfterMs: number }> {
  const root = path.dirname(stack.dir);
  const providers = providersIn(root);
  expect(providers.length).toBeGreaterThan(0);
  run.signal("SIGKILL", { cliOnly: true });
  await run.result;
  const killedAt = Date.now();
  while (providersIn(root).length > 0 && Date.now() - killedAt < 60_000) await sleep(100);
  return { providers: providers.length, goneAfterMs: Date.now() - killedAt };
}

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
  proxy = await startProxy({ target: source.url });
  await seedIndices(source.url, INDICES, 2000);
  stack = await createStack({ program, config: { src: proxy.url, srcRemote: source.url, dest: dest.url } });
});

afterAll(async () => {
  await stack?.remove();
  await proxy?.stop();
  await dest?.stop();
  await source?.stop();
});

describe("a pulumi up killed outright while an application writes", () => {
  it("stops the killed runs' providers within seconds, mid-copy and mid-verification; the next up finishes the job; a preview after it plans nothing", async () => {
    const writer = startWriter(source.url, INDICES);
    const root = path.dirname(stack.dir);
    const up = () => stack.start(["up", "--yes", "--skip-preview", "--non-interactive", "--color", "never"]);

    // Killed mid-copy: the remote tasks run (throttled), the provider polls them.
    const first = up();
    await first.waitForOutput(/started 2 task\(s\)/, 300_000);
    const midCopy = await killCli(first);
    console.log(
      `killed mid-copy: ${midCopy.providers} provider process(es) gone ${midCopy.goneAfterMs} ms after the CLI`,
    );
    expect(midCopy.goneAfterMs).toBeLessThan(15_000);

    // What the next up says, and what the user does about it (docs/failures.md).
    const locked = await stack.up({ check: false });
    expect(locked.code).not.toBe(0);
    expect(locked.stderr).toContain(
      "the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
    );
    await stack.run(["cancel", "--yes"]);

    // Killed mid-verification: the providers' reads of the source are held back 20 s once the copy runs; the kill
    // comes while a verification read waits (a search without aggregations: not the window's min/max).
    const second = up();
    await second.waitForOutput(/started 2 task\(s\)|attaching to the reindex task/, 300_000);
    proxy.setFault({ kind: "delay", ms: 20_000, path: /\/_search$/ });
    const verifying = () =>
      proxy.requests.some((r) => r.fault === "delay" && r.status === 0 && (r.body as any)?.aggs === undefined);
    const deadline = Date.now() + 300_000;
    while (!verifying() && Date.now() < deadline) await sleep(200);
    expect(verifying()).toBe(true);
    const midVerify = await killCli(second);
    proxy.setFault(undefined);
    console.log(
      `killed mid-verification: ${midVerify.providers} provider process(es) gone ${midVerify.goneAfterMs} ms after the CLI`,
    );
    expect(midVerify.goneAfterMs).toBeLessThan(15_000);
    await stack.run(["cancel", "--yes"]);

    // The application stops writing; the next up finishes the job.
    const written = await writer.stop();
    const last = await stack.upEvents();
    const warned = messages(last, "warning").join("\n");
    console.log(
      `the writer made ${written.created} creates, ${written.updated} updates, ${written.deleted} deletes; the last up: ${JSON.stringify(last.changes)}`,
    );
    expect(warned).toMatch(
      /Attempting to deploy or update resources with \d+ pending operations from previous deployment/,
    );
    for (const index of INDICES) {
      const [s, d] = await Promise.all([readSources(source.url, index), readSources(dest.url, index)]);
      expect([...d.keys()].sort(), index).toEqual([...s.keys()].sort());
      for (const [id, doc] of s) expect(d.get(id), `${index}/${id}`).toEqual(doc);
    }

    // Nothing changed since: the preview plans nothing.
    expect((await stack.previewEvents()).changes).toEqual({ same: INDICES.length + 2 });
    // The pending operations the killed runs left are only a warning now: refresh clears them.
    await stack.refresh({ args: ["--clear-pending-creates"] });
    expect((await stack.exportState()).deployment.pending_operations ?? []).toEqual([]);
    expect((await stack.previewEvents()).changes).toEqual({ same: INDICES.length + 2 });
    // No provider of those runs is left (their language hosts stop at their own check of the engine, every 5 minutes).
    expect(processesIn(root).filter((p) => /dynamic-provider|pulumi-resource-pulumi-nodejs/.test(p.cmdline))).toEqual(
      [],
    );
  });
});
