// Scripts driving the migration through Pulumi's Automation API, as a user installs it: the packed package beside
// the newest `@pulumi/pulumi` the registry serves in the package's peer range, one copy of the SDK. (1) An inline
// program (DestinationIndex + Reindex) through LocalWorkspace.createOrSelectStack: up, a clean preview, destroy.
// (2) A local program and `pulumi-es-migrate/automation`: a dry run counting the documents waiting, then a cutover
// while a writer keeps writing, to the source until the block refuses it, then through the moved alias: every
// acknowledged write at the destination (those made while the cutover's last up recorded the final copy too), the
// stack's state holding the final copy, the freeze measured; then the application writes through the alias and a
// further preview and up (the program unchanged) plan and change nothing: the cutover recorded the destination as
// live. (3) A cutover whose verification fails (a destination document deleted between the final copy and the
// check): the block lifted, the alias where it was, the error saying so. (4) The same cutover with a live writer for
// two ClusterMigrations (one MigratedIndex per index, and `groups`): the final copy and the finish run in the
// cutover's process too, the recording up puts both into the MigratedIndex and the group's member, and the next
// preview plans nothing.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../world/cache";
import { startEngine, type EngineNode } from "../world/engines";
import { countDocs, esJson, readIds, seedDocuments } from "../world/fixtures";
import { emptyProject, installedPackages, npmInstall, packWorkingTree } from "../world/package";
import { ensurePulumiCli, pulumiEnv } from "../world/pulumi";

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
const PEER_RANGE: string = pkg.peerDependencies["@pulumi/pulumi"];

/** The newest `@pulumi/pulumi` the registry serves within the peer range (`npm view`, as a user's install picks). */
function newestPeer(): string {
  const out = JSON.parse(
    execFileSync("npm", ["view", `@pulumi/pulumi@${PEER_RANGE}`, "version", "--json"], { encoding: "utf8" }),
  );
  return Array.isArray(out) ? out[out.length - 1] : out;
}

const MAPPING = {
  settings: { number_of_shards: 1, number_of_replicas: 0 },
  mappings: { properties: { n: { type: "long" }, update_time: { type: "date" } } },
};

// (1) The inline program: a copy of "inline", then up / preview / destroy; prints what each returned.
const INLINE = `
const { LocalWorkspace } = require("@pulumi/pulumi/automation");
const { DestinationIndex, Reindex } = require("pulumi-es-migrate");
const [src, dest] = process.argv.slice(2);
const program = async () => {
  const cluster = { url: dest };
  const target = new DestinationIndex("inline", { cluster, index: "inline", copyFrom: { cluster: { url: src }, index: "inline" }, deletionProtection: false });
  const copy = new Reindex("inline-copy", { cluster, destIndex: target.index, destIndexUuid: target.uuid, source: { index: "inline", remote: { host: src } } });
  return { status: copy.status };
};
(async () => {
  // The workspace in a temporary folder (the default), as a script written from the docs has it.
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: "inline", projectName: "inline-consumer", program });
  const up = await stack.up();
  const events = [];
  const preview = await stack.preview({ onEvent: (e) => events.push(e) });
  const steps = events.filter((e) => e.resourcePreEvent).map((e) => e.resourcePreEvent.metadata.op);
  const destroy = await stack.destroy();
  console.log(JSON.stringify({ up: up.summary.resourceChanges, status: up.outputs.status.value, preview: preview.changeSummary, steps, destroy: destroy.summary.resourceChanges }));
})().catch((e) => { console.error(e.stack || e); process.exit(2); });
`;

// (2, 3) The local program: incremental copies of "orders" and "events" (each into "<name>-v2").
const LOCAL_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { DestinationIndex, Reindex } = require("pulumi-es-migrate");
const cfg = new pulumi.Config();
const cluster = { url: cfg.require("dest") };
for (const index of ["orders", "events"]) {
  const target = new DestinationIndex(index, { cluster, index: index + "-v2", copyFrom: { cluster: { url: cfg.require("src") }, index }, deletionProtection: false });
  new Reindex(index + "-copy", { cluster, destIndex: target.index, destIndexUuid: target.uuid, source: { index, remote: { host: cfg.require("src") } }, mode: { type: "incremental", field: "update_time" } });
}
`;

// (4) Two ClusterMigrations of one index each: "users" as a MigratedIndex (the default), "carts" in a group.
const CLUSTER_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { ClusterMigration } = require("pulumi-es-migrate");
const cfg = new pulumi.Config();
const [source, destination] = [{ url: cfg.require("src") }, { url: cfg.require("dest") }];
const objects = { templates: false, componentTemplates: false, pipelines: false, scripts: false, aliases: false, dataStreams: false };
const defaults = { mode: { type: "incremental", field: "update_time" } };
new ClusterMigration("users", { source, destination, include: ["users"], objects, defaults, overrides: { users: { destIndex: "users-v2" } } });
new ClusterMigration("carts", { source, destination, include: ["carts"], objects, defaults, overrides: { carts: { destIndex: "carts-v2" } }, groups: 1 });
`;

// Selects the stack of folder o.stack (default "local"), then runs argv[2] ("up" | "state" | "migrations" | "preview" |
// "plan" | "cutover" | "cutover-broken") with argv[3] as JSON options; prints the result, or the error's name,
// message, phase and report as JSON (exit 0 either way).
const DRIVER = `
const { LocalWorkspace } = require("@pulumi/pulumi/automation");
const { cutover, planCutover } = require("pulumi-es-migrate/automation");
const [what, json] = process.argv.slice(2);
const o = JSON.parse(json);
(async () => {
  const dir = o.stack || "local";
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: dir, workDir: require("node:path").join(__dirname, dir) });
  await stack.setAllConfig({ src: { value: o.src }, dest: { value: o.dest } });
  if (what === "up") return { changes: (await stack.up()).summary.resourceChanges };
  if (what === "state") {
    const { deployment } = await stack.exportStack();
    return deployment.resources.filter((r) => r.type.endsWith(":Reindex")).map((r) => r.outputs);
  }
  if (what === "migrations") {
    // Each MigratedIndex's state, and each group member's, by destination index.
    const { deployment } = await stack.exportStack();
    const out = {};
    for (const r of deployment.resources) {
      if (r.type.endsWith(":MigratedIndex")) out[r.outputs.destIndex] = r.outputs;
      if (r.type.endsWith(":MigratedIndexGroup"))
        for (const m of Object.values(r.outputs.members)) out[JSON.parse(m).destIndex] = JSON.parse(m);
    }
    return out;
  }
  if (what === "preview") {
    const events = [];
    const preview = await stack.preview({ onEvent: (e) => events.push(e) });
    const lines = events.filter((e) => e.diagnosticEvent).map((e) => e.diagnosticEvent.message.trim());
    return { changes: preview.changeSummary, lines };
  }
  const options = { stack, source: { url: o.src }, destination: { url: o.dest }, indices: o.indices, onProgress: (l) => console.error("[cutover] " + l), ...o.options };
  if (what === "plan") return planCutover(options);
  if (what === "cutover-broken") {
    // Between the final copy and the check, someone deletes a document at the destination.
    options.onPhase = async (phase) => {
      if (phase !== "final-copy") return;
      const res = await fetch(o.dest + "/" + o.indices[0].destIndex + "/_doc/" + o.deleteId + "?refresh=true", { method: "DELETE" });
      if (!res.ok) throw new Error("deleting the document failed: " + res.status);
    };
  }
  return cutover(options);
})().then(
  (result) => console.log(JSON.stringify({ ok: true, result })),
  (e) => console.log(JSON.stringify({ ok: false, name: e.name, message: e.message, phase: e.phase, report: e.report })),
);
`;

let source: EngineNode;
let dest: EngineNode;
let project: string;
let env: NodeJS.ProcessEnv;
let peerVersion: string;

/** Runs a script of the consumer project with node; resolves to its last stdout line as JSON. */
function runScript(file: string, args: string[]): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: project, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(last));
      } catch (e) {
        reject(
          new Error(
            `${file} ${args[0] ?? ""} failed (${(e as Error).message})\n--- stdout ---\n${stdout.slice(-4000)}\n--- stderr ---\n${stderr.slice(-4000)}`,
          ),
        );
      }
    });
  });
}

const driver = (what: string, opts: object) =>
  runScript("driver.js", [what, JSON.stringify({ src: source.url, dest: dest.url, ...opts })]);

/** Writes one document (to the source by default); resolves to "ok", or the engine's refusal type (e.g. cluster_block_exception). */
async function writeOne(index: string, id: string, url = source.url): Promise<string> {
  const res = await fetch(`${url}/${index}/_doc/${id}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ n: -1, update_time: new Date().toISOString() }),
  });
  const body: any = await res.json();
  return res.ok ? "ok" : (body?.error?.type ?? `HTTP ${res.status}`);
}

/** A cutover's phases with the engine outside the freeze; `finish` only for a MigratedIndex's (or member's) copy. */
const PHASES = ["preflight", "catch-up", "block", "final-copy", "verify", "finish", "alias", "record-up"];

const aliasHolders = async (alias: string) =>
  Object.keys(await esJson(dest.url, "GET", `/_alias/${alias}`).catch(() => ({}))).sort();

/**
 * The application during a cutover: writes to each index's source in turn until the block refuses it, then through
 * its alias once the alias is on the destination index. `stop` ends it; `acked` holds the acknowledged ids per
 * destination index, `refused` the refusals' types.
 */
function startApplication(targets: { sourceIndex: string; alias: string; destIndex: string }[]) {
  const acked = new Map(targets.map((t) => [t.destIndex, { atSource: [] as string[], throughAlias: [] as string[] }]));
  const refused: string[] = [];
  let writing = true;
  const done = (async () => {
    for (let i = 0; writing; i++, await new Promise((r) => setTimeout(r, 20))) {
      const t = targets[i % targets.length];
      const ids = acked.get(t.destIndex)!;
      const id = `w-${i}`;
      if (ids.throughAlias.length === 0) {
        const outcome = await writeOne(t.sourceIndex, id);
        if (outcome === "ok") ids.atSource.push(id);
        else refused.push(outcome);
        if (outcome === "ok" || (await aliasHolders(t.alias)).join() !== t.destIndex) continue;
      }
      if ((await writeOne(t.alias, id, dest.url)) === "ok") ids.throughAlias.push(id);
    }
  })();
  return {
    acked,
    refused,
    stop: async () => {
      writing = false;
      await done;
    },
  };
}

beforeAll(async () => {
  source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  dest = await startEngine({ engine: "opensearch", version: "2.19.x", allow: [new URL(source.url).host] });
  const old = Date.now() - 3_600_000;
  for (const index of ["inline", "orders", "events", "users", "carts"]) {
    await esJson(source.url, "PUT", `/${index}`, MAPPING);
    await seedDocuments(source.url, index, {
      count: 2000,
      idPrefix: `${index}-`,
      doc: (n) => ({ n, update_time: new Date(old + n * 1000).toISOString() }),
    });
  }
  // The alias the cutover moves: on an older destination index until then.
  for (const old of ["orders-v1", "events-v1"])
    await esJson(dest.url, "PUT", `/${old}`, { aliases: { [`${old.split("-")[0]}-current`]: {} } });

  peerVersion = newestPeer();
  project = emptyProject("automation");
  npmInstall(project, [packWorkingTree(project), `@pulumi/pulumi@${peerVersion}`]);
  fs.writeFileSync(path.join(project, "inline.js"), INLINE);
  fs.writeFileSync(path.join(project, "driver.js"), DRIVER);
  for (const [dir, program] of [
    ["local", LOCAL_PROGRAM],
    ["cluster", CLUSTER_PROGRAM],
  ]) {
    fs.mkdirSync(path.join(project, dir), { recursive: true });
    fs.writeFileSync(
      path.join(project, dir, "Pulumi.yaml"),
      `name: ${dir}-consumer\nruntime: nodejs\nmain: index.js\n`,
    );
    fs.writeFileSync(path.join(project, dir, "index.js"), program);
    fs.writeFileSync(
      path.join(project, dir, "package.json"),
      JSON.stringify({ name: `${dir}-consumer`, private: true, main: "index.js" }),
    );
    fs.symlinkSync(path.join(project, "node_modules"), path.join(project, dir, "node_modules"));
  }
  const binDir = await ensurePulumiCli();
  fs.mkdirSync(path.join(project, "state"));
  env = pulumiEnv({ binDir, backendUrl: `file://${path.join(project, "state")}` });
}, 600_000);

afterAll(async () => {
  await Promise.allSettled([source?.stop(), dest?.stop()]);
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe("Automation API scripts with the packed package beside the newest @pulumi/pulumi", () => {
  it("installs one @pulumi/pulumi, the newest in the peer range", () => {
    const copies = installedPackages(path.join(project, "node_modules")).filter(
      (p) => p.manifest.name === "@pulumi/pulumi",
    );
    expect(copies.map((c) => c.manifest.version)).toEqual([peerVersion]);
  });

  it("runs an inline DestinationIndex + Reindex program: up copies, the next preview changes nothing, destroy removes it", async () => {
    const result = await runScript("inline.js", [source.url, dest.url]);
    expect(result.up).toMatchObject({ create: 3 }); // the stack, the index, the copy
    expect(result.status).toBe("complete");
    expect(result.preview).toEqual({ same: 3 });
    expect(result.steps.every((op: string) => op === "same")).toBe(true);
    expect(result.destroy).toMatchObject({ delete: 3 });
    const exists = await fetch(`${dest.url}/inline`, { method: "HEAD" });
    expect(exists.status).toBe(404);
  });

  it("a dry run counts the documents waiting per index and the alias to move, and blocks nothing", async () => {
    expect((await driver("up", {})).result.changes).toMatchObject({ create: 5 });
    await seedDocuments(source.url, "orders", {
      startId: 5000,
      count: 25,
      idPrefix: "orders-new-",
      doc: (n) => ({ n, update_time: new Date().toISOString() }),
    });
    const { ok, result } = await driver("plan", {
      indices: [{ sourceIndex: "orders", destIndex: "orders-v2", alias: "orders-current" }],
    });
    expect(ok).toBe(true);
    expect(result.indices[0]).toMatchObject({
      documentsWaiting: 25,
      alreadyBlocked: false,
      alias: { name: "orders-current", from: ["orders-v1"] },
    });
    expect(result.changes).toEqual([
      expect.objectContaining({ op: "update", urn: expect.stringContaining("orders-copy") }),
    ]);
    expect(result.steps.join("\n")).toContain("move alias orders-current to orders-v2 (from orders-v1)");
    expect(await writeOne("orders", "after-dry-run")).toBe("ok");
    expect(await aliasHolders("orders-current")).toEqual(["orders-v1"]);
  });

  it("cuts over while a writer keeps writing: every acknowledged write reaches the destination, the stack records the final copy", async () => {
    // The application writes to the source until the block refuses it, then through the alias once it moved.
    const app = startApplication([{ sourceIndex: "orders", alias: "orders-current", destIndex: "orders-v2" }]);
    // A bound on the final copy far above what a catch-up leaves: checked by a preview, then the cutover goes on.
    const run = await driver("cutover", {
      indices: [{ sourceIndex: "orders", destIndex: "orders-v2", alias: "orders-current" }],
      options: { maxFinalDelta: 100_000 },
    }).finally(app.stop);
    const { atSource: ackedAtSource, throughAlias: ackedThroughAlias } = app.acked.get("orders-v2")!;
    const refused = app.refused;
    expect(run.ok, run.message).toBe(true);
    const report = run.result;
    expect(ackedAtSource.length).toBeGreaterThan(0);
    expect(new Set(refused)).toEqual(new Set(["cluster_block_exception"]));
    // Writes went to the destination while the cutover recorded its final copy in the stack: that up kept them.
    expect(ackedThroughAlias.length).toBeGreaterThan(0);
    await esJson(dest.url, "POST", "/orders-v2/_refresh");
    const atDest = await readIds(dest.url, "orders-v2");
    expect([...ackedAtSource, ...ackedThroughAlias].filter((id) => !atDest.has(id))).toEqual([]);
    const frozenSource = await countDocs(source.url, "orders");
    expect(await countDocs(dest.url, "orders-v2")).toBe(frozenSource + ackedThroughAlias.length);
    expect(await writeOne("orders", "after-cutover")).toBe("cluster_block_exception");
    expect(await aliasHolders("orders-current")).toEqual(["orders-v2"]);
    // The final copy verified the frozen source (ids) and nobody wrote to either side before the check: it stands.
    expect(report.indices[0]).toMatchObject({
      blockedByCutover: true,
      alias: { name: "orders-current", from: ["orders-v1"] },
      missing: 0,
      differing: 0,
      verifiedBy: "final-copy",
      destCount: frozenSource,
    });
    expect(report.finalCopyBy).toBe("library");
    expect(report.catchUps.length).toBeGreaterThanOrEqual(1);
    expect(report.freezeMs).toBe(report.indices[0].freezeMs);
    expect(Object.keys(report.phases)).toEqual(PHASES.filter((p) => p !== "finish"));
    expect(report.sourceBlocked).toBe(true);
    expect(report.indices[0].recordedAt).toBe(report.indices[0].aliasMovedAt);
    // The state holds the final copy, as if it had run in an up inside the freeze: the whole frozen source verified.
    expect(report).toMatchObject({ stackRecorded: true, stackChanges: { update: 1, same: 4 } });
    const copy = (await driver("state", {})).result.find((r: any) => r.destIndex === "orders-v2");
    expect(copy).toMatchObject({ status: "complete", verification: { sourceCount: frozenSource } });
    expect(copy.created + copy.updated).toBe(report.indices[0].finalCopied);
    expect((await driver("preview", {})).result.changes).toEqual({ same: 5 });
    console.log(
      `cutover with a writer: ${ackedAtSource.length} writes acknowledged at the source, ${refused.length} refused, ${ackedThroughAlias.length} through the alias; freeze ${report.freezeMs} ms, phases ${JSON.stringify(report.phases)}, catch-ups ${JSON.stringify(report.catchUps)}`,
    );

    // The application now writes through the alias: a new document, an update, a delete.
    await esJson(dest.url, "PUT", "/orders-current/_doc/app-new?refresh=true", {
      n: -3,
      update_time: new Date().toISOString(),
    });
    await esJson(dest.url, "PUT", "/orders-current/_doc/orders-1?refresh=true", {
      n: -4,
      update_time: new Date().toISOString(),
    });
    await esJson(dest.url, "DELETE", "/orders-v2/_doc/orders-2?refresh=true");
    const preview = (await driver("preview", {})).result;
    expect(preview.changes).toEqual({ same: 5 });
    expect(preview.lines).toContainEqual(
      expect.stringMatching(
        /^reindex orders -> orders-v2: cut over at \S+: the destination is live, this copy no longer runs$/,
      ),
    );
    expect((await driver("up", {})).result.changes).toEqual({ same: 5 });
    const afterUp = await readIds(dest.url, "orders-v2");
    expect([afterUp.has("app-new"), afterUp.has("orders-2")]).toEqual([true, false]);
    expect((await esJson(dest.url, "GET", "/orders-v2/_doc/orders-1"))._source.n).toBe(-4);
  });

  it("a cutover whose verification fails lifts the block, leaves the alias and says what state everything is in", async () => {
    const run = await driver("cutover-broken", {
      indices: [{ sourceIndex: "events", destIndex: "events-v2", alias: "events-current" }],
      deleteId: "events-7",
    });
    expect(run.ok).toBe(false);
    expect(run.name).toBe("CutoverError");
    expect(run.phase).toBe("verify");
    expect(run.message).toContain(
      "verification (ids) of events -> events-v2 failed: 1 source document(s) missing at the destination (first: events-7)",
    );
    expect(run.message).toContain("write block lifted on source events: writes are accepted again");
    expect(run.message).toContain("alias events-current is on events-v1 (not moved)");
    // The destination changed after the final copy's own check, so the cutover compared both sides itself.
    expect(run.report.indices[0]).toMatchObject({ blockedByCutover: true, missing: 1, verifiedBy: "cutover" });
    expect(run.report.sourceBlocked).toBe(false);
    expect(await writeOne("events", "after-failed-cutover")).toBe("ok");
    expect(await aliasHolders("events-current")).toEqual(["events-v1"]);
  });

  it("with maxFinalDelta, a cutover whose catch-ups leave more waiting than that blocks nothing and says why", async () => {
    // The application keeps writing: after the catch-up, the preview counts its new documents as waiting.
    const app = startApplication([{ sourceIndex: "events", alias: "events-current", destIndex: "events-v2" }]);
    const run = await driver("cutover", {
      indices: [{ sourceIndex: "events", destIndex: "events-v2", alias: "events-current" }],
      options: { maxFinalDelta: 0, maxCatchUps: 1 },
    }).finally(app.stop);
    expect(run.ok).toBe(false);
    expect(run.name).toBe("CutoverError");
    expect(run.phase).toBe("catch-up");
    console.log(`the refused cutover's message:\n${run.message}`);
    expect(run.message).toMatch(
      /the final copy would move [\d,]+ document\(s\) \(events -> events-v2 [\d,]+\), more than maxFinalDelta 0, so writes were not blocked: the catch-up ups copied [\d,]+ document\(s\)\. Cut over when the application writes less, or raise maxFinalDelta/,
    );
    expect(run.message).toContain("no write block was put: the source accepted writes throughout");
    expect(run.message).toContain("alias events-current is on events-v1 (not moved)");
    expect(run.report).toMatchObject({ sourceBlocked: false, freezeMs: 0 });
    expect(run.report.catchUps).toHaveLength(1);
    expect(run.report.indices[0].blockedByCutover).toBe(false);
    expect(app.refused).toEqual([]);
    expect(app.acked.get("events-v2")!.atSource.length).toBeGreaterThan(0);
    expect(await writeOne("events", "after-refused-cutover")).toBe("ok");
    expect(await aliasHolders("events-current")).toEqual(["events-v1"]);
  });

  it("cuts a ClusterMigration's index and a grouped one over with a live writer, without an up inside the freeze", async () => {
    const cluster = { stack: "cluster" };
    expect((await driver("up", cluster)).result.changes).toMatchObject({ create: expect.any(Number) });
    const targets = ["users", "carts"].map((i) => ({ sourceIndex: i, destIndex: `${i}-v2`, alias: `${i}-current` }));
    const app = startApplication(targets);
    const run = await driver("cutover", { ...cluster, indices: targets }).finally(app.stop);
    expect(run.ok, run.message).toBe(true);
    const report = run.result;
    expect(report.finalCopyBy).toBe("library");
    // The finish (final settings) runs inside the freeze, before the aliases let the application write.
    expect(Object.keys(report.phases)).toEqual(PHASES);
    expect(new Set(app.refused)).toEqual(new Set(["cluster_block_exception"]));
    const state = (await driver("migrations", cluster)).result;
    for (const t of targets) {
      const { atSource, throughAlias } = app.acked.get(t.destIndex)!;
      expect(atSource.length, t.sourceIndex).toBeGreaterThan(0);
      expect(throughAlias.length, t.sourceIndex).toBeGreaterThan(0);
      const atDest = await readIds(dest.url, t.destIndex);
      expect([...atSource, ...throughAlias].filter((id) => !atDest.has(id))).toEqual([]);
      const frozenSource = await countDocs(source.url, t.sourceIndex);
      expect(await countDocs(dest.url, t.destIndex)).toBe(frozenSource + throughAlias.length);
      expect(await aliasHolders(t.alias)).toEqual([t.destIndex]);
      // The load settings are gone: the application's writes are searchable after the index's refresh interval.
      const settings = await esJson(dest.url, "GET", `/${t.destIndex}/_settings?flat_settings=true`);
      expect(settings[t.destIndex].settings["index.refresh_interval"]).not.toBe("-1");
      const index = report.indices.find((i: any) => i.destIndex === t.destIndex);
      expect(index).toMatchObject({ missing: 0, differing: 0, verifiedBy: "final-copy", destCount: frozenSource });
      // The MigratedIndex (and the group's member) holds the final copy and the finish made after it, as an up would.
      const m = state[t.destIndex];
      expect(m.copyState).toMatchObject({ status: "complete", verification: { sourceCount: frozenSource } });
      expect(m.copyState.created + m.copyState.updated).toBe(index.finalCopied);
      expect(m.finishState).toMatchObject({ verified: true, trigger: { taskIds: m.copyState.taskIds } });
      expect(m.summary).toMatchObject({ sourceCount: frozenSource, verified: true });
    }
    expect(report).toMatchObject({ stackRecorded: true, stackChanges: { update: 2 } });
    const preview = (await driver("preview", cluster)).result;
    expect(Object.keys(preview.changes)).toEqual(["same"]);
    console.log(
      `ClusterMigration cutover with a writer: freeze ${report.freezeMs} ms, phases ${JSON.stringify(report.phases)}, catch-ups ${JSON.stringify(report.catchUps)}`,
    );
  });
});
