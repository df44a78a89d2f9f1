// The reindex benchmark: the same N small documents between two real nodes, copied by every contender.
// Contenders: the destination's own `_bulk` ingest from memory (the ceiling), a bare remote reindex task started and
// polled with plain HTTP, the Reindex provider with 1, 2 and 4 partitions and with the count it chooses itself from the
// destination's write threads, the client transport (provider/copy, in
// a child process so its peak RSS is its own) and elasticdump. Prints docs/s and ratios, writes results/reindex.json.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runReindex } from "../provider/reindex/run";
import { validateInputs } from "../provider/reindex/validate";
import { buildPackage } from "../test/world/build";
import type { BenchOptions } from "./run";

const INDEX_BODY = {
  settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: "-1" },
  mappings: {
    properties: { n: { type: "long" }, ts: { type: "date" }, tenant: { type: "keyword" }, msg: { type: "text" } },
  },
};
const BATCH = 5000;

export interface Engine {
  url: string;
  /** The node's JVM, when the bench started it: its CPU time is read from /proc. */
  pid?: number;
  stop(): Promise<void>;
}

interface Result {
  name: string;
  docs: number;
  seconds: number;
  docsPerSecond: number;
  ratioToCeiling?: number;
  ratioToElasticdump?: number;
  peakRssMb?: number;
  /** CPU seconds each process spent during the timed run: where the machine's cores went. */
  cpu?: CpuSpent;
}

interface CpuSpent {
  source?: number;
  destination?: number;
  bench: number;
  /** (source + destination + bench) / (cores x wall): 1 means every core was busy with this run. */
  coresBusy?: number;
}

const CORES = os.availableParallelism();
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a process, from /proc (undefined when it cannot be read: not Linux, or gone). */
function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

let cpuNodes: { source?: Engine; destination?: Engine } = {};

/** Starts counting CPU; the returned function gives what each process spent since. */
function cpuMeter(): (wallSeconds: number) => CpuSpent {
  const src0 = processCpuSeconds(cpuNodes.source?.pid);
  const dest0 = processCpuSeconds(cpuNodes.destination?.pid);
  const bench0 = process.cpuUsage();
  return (wall) => {
    const used = process.cpuUsage(bench0);
    const spent = (pid: number | undefined, at0: number | undefined) => {
      const now = processCpuSeconds(pid);
      return now === undefined || at0 === undefined ? undefined : round(now - at0);
    };
    const out: CpuSpent = {
      source: spent(cpuNodes.source?.pid, src0),
      destination: spent(cpuNodes.destination?.pid, dest0),
      bench: round((used.user + used.system) / 1e6),
    };
    if (out.source !== undefined && out.destination !== undefined)
      out.coresBusy = round((out.source + out.destination + out.bench) / (CORES * wall));
    return out;
  };
}

export async function http(base: string, method: string, p: string, body?: unknown, ndjson = false): Promise<any> {
  const res = await fetch(base + p, {
    method,
    headers: body === undefined ? {} : { "content-type": ndjson ? "application/x-ndjson" : "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
  return text === "" ? undefined : JSON.parse(text);
}

/** The documents as NDJSON `_bulk` bodies, built before any clock starts. */
export function bulkBodies(index: string, docs: number): string[] {
  const bodies: string[] = [];
  const t0 = Date.UTC(2024, 0, 1);
  for (let start = 0; start < docs; start += BATCH) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(docs, start + BATCH); i++) {
      lines.push(JSON.stringify({ index: { _index: index, _id: `d${i}` } }));
      lines.push(
        JSON.stringify({
          n: i,
          ts: new Date(t0 + i * 1000).toISOString(),
          tenant: `t${i % 10}`,
          msg: `message number ${i}`,
        }),
      );
    }
    bodies.push(`${lines.join("\n")}\n`);
  }
  return bodies;
}

export async function bulkLoad(base: string, bodies: string[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const res = await http(base, "POST", "/_bulk", body, true);
      if (res.errors)
        throw new Error(
          `_bulk reported errors: ${JSON.stringify(res.items.find((i: any) => i.index?.error)).slice(0, 300)}`,
        );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export async function freshIndex(base: string, index: string): Promise<void> {
  await fetch(`${base}/${index}`, { method: "DELETE" });
  await http(base, "PUT", `/${index}`, INDEX_BODY);
}

export async function countOf(base: string, index: string): Promise<number> {
  await http(base, "POST", `/${index}/_refresh`);
  return (await http(base, "GET", `/${index}/_count`)).count;
}

async function timed(
  name: string,
  docs: number,
  f: () => Promise<void>,
  check: () => Promise<number>,
): Promise<Result> {
  const t = process.hrtime.bigint();
  const meter = cpuMeter();
  await f();
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const cpu = meter(seconds);
  const got = await check();
  if (got !== docs) throw new Error(`${name}: copied ${got} documents, expected ${docs}`);
  const r = { name, docs, seconds: round(seconds), docsPerSecond: Math.round(docs / seconds), cpu };
  console.log(`  ${name}: ${r.seconds}s, ${r.docsPerSecond} docs/s, ${cpuText(cpu)}`);
  return r;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function cpuText(c: CpuSpent | undefined): string {
  if (c === undefined) return "";
  const s = (x: number | undefined) => (x === undefined ? "?" : `${x}`);
  return `CPU s source ${s(c.source)} / destination ${s(c.destination)} / bench ${c.bench}, cores busy ${s(c.coresBusy)}`;
}

/** A remote reindex task started and awaited with plain HTTP: what the provider's overhead is measured against. */
export async function bareTask(dest: string, srcUrl: string, index: string): Promise<void> {
  const { task } = await http(dest, "POST", "/_reindex?wait_for_completion=false", {
    source: { index: "src", remote: { host: srcUrl } },
    dest: { index },
  });
  for (;;) {
    const t = await http(dest, "GET", `/_tasks/${task}`);
    if (t.completed) {
      if (t.error || t.response?.failures?.length)
        throw new Error(`bare task failed: ${JSON.stringify(t.error ?? t.response.failures[0])}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** A run of the provider; `partitions` "auto": on field n, the count left to the provider. */
async function providerRun(dest: string, srcUrl: string, index: string, partitions: number | "auto"): Promise<void> {
  const { inputs, failures } = validateInputs({
    cluster: { url: dest },
    destIndex: index,
    source: { index: "src", remote: { host: srcUrl } },
    ...(partitions === "auto"
      ? { partitions: { field: "n" } }
      : partitions > 1
        ? { partitions: { field: "n", count: partitions } }
        : {}),
    // The copy's own speed: bench/verify.ts measures what verification adds.
    verify: "count",
  });
  if (failures.length > 0) throw new Error(failures.map((f: { reason: string }) => f.reason).join("\n"));
  const quiet = {
    info: (m: string) => (/ partitions \(/.test(m) ? console.log(`    ${m}`) : undefined),
    warn: (m: string) => console.log(`    warn: ${m}`),
  };
  await runReindex(inputs, { log: quiet });
}

// The client transport as the Pulumi provider host runs it: compiled JS (dist/) in plain node, with its defaults
// (2 slices, 2 writers, bulks of 2,000 documents / 8 MiB). Under tsx the TypeScript loader alone adds ~60 MB of RSS.
const CLIENT_COPY_CHILD = `
const [root, srcUrl, dest, index, limit] = process.argv.slice(1);
const { connect } = require(root + "/dist/provider/connection/client");
const { copyIndex } = require(root + "/dist/provider/copy");
// Peak RSS of this process since its exec (VmHWM). getrusage's maxRSS is not used: Linux carries the forked image's
// high-water mark (the bench process's, with its in-memory bulk bodies) over the exec.
const mb = () => {
  const hwm = /VmHWM:\\s+(\\d+) kB/.exec(require("node:fs").readFileSync("/proc/self/status", "utf8"));
  return Math.round(Number(hwm ? hwm[1] : process.resourceUsage().maxRSS) / 102.4) / 10;
};
(async () => {
  const baselineRssMb = mb();
  const query = limit === "" ? undefined : { range: { n: { lt: Number(limit) } } };
  const source = connect({ url: srcUrl }, "source");
  const destination = connect({ url: dest }, "destination");
  const res = await copyIndex({ source, dest: destination, sourceIndex: "src", destIndex: index, query });
  await source.close();
  await destination.close();
  if (res.failed > 0) throw new Error("client copy: " + res.failed + " document(s) failed, first: " + res.failures[0]);
  console.log("copySeconds=" + res.seconds + " baselineRssMb=" + baselineRssMb + " peakRssMb=" + mb());
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** Compiles the package (dist/) so that the client transport child runs what users run. */
function buildDist(): void {
  const root = path.join(__dirname, "..");
  try {
    buildPackage("pipe");
  } catch (e) {
    // tsc still writes the files when other parts of the tree have type errors; only a missing module is fatal.
    if (!fs.existsSync(path.join(root, "dist/provider/copy/index.js"))) throw e;
    console.log("  (dist built with type errors elsewhere in the tree)");
  }
}

/** Runs the client transport in a child process; returns its peak RSS in MB and the copy's own seconds (no start-up). */
async function clientCopyChild(
  dest: string,
  srcUrl: string,
  index: string,
  limit: number | undefined,
): Promise<{ peakRssMb: number; baselineRssMb: number; copySeconds: number }> {
  const child = spawn(
    process.execPath,
    ["-e", CLIENT_COPY_CHILD, path.join(__dirname, ".."), srcUrl, dest, index, String(limit ?? "")],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const code = await new Promise<number>((r) => child.on("close", (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`client copy child exited with ${code}: ${out}`);
  const figure = (name: string) => Number(new RegExp(`${name}=(\\d+(\\.\\d+)?)`).exec(out)?.[1]);
  return { peakRssMb: figure("peakRssMb"), baselineRssMb: figure("baselineRssMb"), copySeconds: figure("copySeconds") };
}

async function elasticdump(srcUrl: string, dest: string, index: string): Promise<void> {
  const bin = require.resolve("elasticdump/bin/elasticdump");
  const child = spawn(
    process.execPath,
    [bin, `--input=${srcUrl}/src`, `--output=${dest}/${index}`, "--type=data", "--limit=1000", "--quiet"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const code = await new Promise<number>((r) => child.on("close", (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`elasticdump exited with ${code}`);
}

/** Two Elasticsearch 7.10 nodes of the test world, or (--source/--dest) nodes already running with the source allowed. */
export async function benchClusters(opts: BenchOptions): Promise<{ source: Engine; destination: Engine }> {
  if (opts.sourceUrl !== undefined && opts.destUrl !== undefined) {
    return {
      source: { url: opts.sourceUrl, stop: async () => undefined },
      destination: { url: opts.destUrl, stop: async () => undefined },
    };
  }
  const { startEngine } = require("../test/world/engines") as {
    startEngine(o: { engine: string; version: string; allow?: string[] }): Promise<Engine>;
  };
  const source = await startEngine({ engine: "elasticsearch", version: "7.10.2" });
  const destination = await startEngine({
    engine: "elasticsearch",
    version: "7.10.2",
    allow: [new URL(source.url).host],
  });
  return { source, destination };
}

export async function run(opts: BenchOptions): Promise<void> {
  const docs = opts.docs ?? 1_000_000;
  const { source, destination } = await benchClusters(opts);
  cpuNodes = { source, destination };
  const src = source.url.replace(/\/$/, "");
  const dest = destination.url.replace(/\/$/, "");
  const results: Result[] = [];
  const notes: string[] = [];
  try {
    console.log(`reindex benchmark: ${docs} documents, source ${src}, destination ${dest}`);
    const bodiesSrc = bulkBodies("src", docs);
    await freshIndex(src, "src");
    await bulkLoad(src, bodiesSrc, 2);
    await http(src, "PUT", "/src/_settings", { index: { refresh_interval: "1s" } });
    console.log(`  source loaded: ${await countOf(src, "src")} documents`);
    // Both nodes share the machine's cores: the source's background merges after the load would slow whatever
    // runs first. Merge now, before any clock starts.
    await http(src, "POST", "/src/_forcemerge?max_num_segments=1");

    const bodies = bulkBodies("ceiling", docs);
    await freshIndex(dest, "ceiling");
    results.push(
      await timed(
        "bulk ingest from memory (ceiling)",
        docs,
        () => bulkLoad(dest, bodies, 2),
        () => countOf(dest, "ceiling"),
      ),
    );
    await http(dest, "DELETE", "/ceiling");

    const contenders: [string, string, () => Promise<void>][] = [
      ["bare remote reindex task (plain HTTP)", "bare", () => bareTask(dest, src, "bare")],
      ["Reindex, 1 partition", "p1", () => providerRun(dest, src, "p1", 1)],
      ["Reindex, 2 partitions", "p2", () => providerRun(dest, src, "p2", 2)],
      ["Reindex, 4 partitions", "p4", () => providerRun(dest, src, "p4", 4)],
      ["Reindex, partitions chosen by the provider", "pauto", () => providerRun(dest, src, "pauto", "auto")],
      ["elasticdump (--limit 1000)", "ed", () => elasticdump(src, dest, "ed")],
    ];
    for (const [name, index, f] of contenders) {
      await freshIndex(dest, index);
      results.push(await timed(name, docs, f, () => countOf(dest, index)));
      await http(dest, "DELETE", `/${index}`);
    }

    // The ceiling again at the end: the better of the two runs is the ceiling (noise on a shared machine only slows).
    await freshIndex(dest, "ceiling");
    const again = await timed(
      "bulk ingest from memory (ceiling, second run)",
      docs,
      () => bulkLoad(dest, bodies, 2),
      () => countOf(dest, "ceiling"),
    );
    await http(dest, "DELETE", "/ceiling");
    if (again.docsPerSecond > results[0].docsPerSecond) results[0] = { ...again, name: results[0].name };

    // The client transport at 100,000 documents and at the full size: each copy in a child process, for its own peak RSS.
    buildDist();
    for (const size of [...new Set([Math.min(100_000, docs), docs])]) {
      await freshIndex(dest, "client");
      let child = { peakRssMb: 0, baselineRssMb: 0, copySeconds: 0 };
      const r = await timed(
        `client transport (${size} docs)`,
        size,
        async () => {
          child = await clientCopyChild(dest, src, "client", size === docs ? undefined : size);
        },
        () => countOf(dest, "client"),
      );
      results.push({ ...r, peakRssMb: child.peakRssMb });
      notes.push(
        `client transport (${size} docs): the copy itself took ${child.copySeconds}s (${Math.round(size / child.copySeconds)} docs/s) of the ${r.seconds}s timed with the child process's start-up; peak RSS ${child.peakRssMb} MB, of which ${child.baselineRssMb} MB before the copy started (node and the modules loaded)`,
      );
      await http(dest, "DELETE", "/client");
    }
  } finally {
    await destination.stop();
    await source.stop();
  }

  const ceiling = results.find((r) => r.name.includes("ceiling"))!.docsPerSecond;
  const ed = results.find((r) => r.name.startsWith("elasticdump"))?.docsPerSecond;
  for (const r of results) {
    r.ratioToCeiling = round(r.docsPerSecond / ceiling);
    if (ed !== undefined) r.ratioToElasticdump = round(r.docsPerSecond / ed);
  }
  const bare = results.find((r) => r.name.startsWith("bare"));
  const p1 = results.find((r) => r.name === "Reindex, 1 partition");
  console.log(
    "\n| contender | docs | seconds | docs/s | x ceiling | x elasticdump | peak RSS MB | CPU s source / dest / bench | cores busy |\n|---|---|---|---|---|---|---|---|---|",
  );
  for (const r of results)
    console.log(
      `| ${r.name} | ${r.docs} | ${r.seconds} | ${r.docsPerSecond} | ${r.ratioToCeiling} | ${r.ratioToElasticdump ?? ""} | ${r.peakRssMb ?? ""} | ${r.cpu?.source ?? "?"} / ${r.cpu?.destination ?? "?"} / ${r.cpu?.bench ?? "?"} | ${r.cpu?.coresBusy ?? ""} |`,
    );
  const p4 = results.find((r) => r.name === "Reindex, 4 partitions");
  if (p4) notes.push(`Reindex with 4 partitions / the ceiling: ${p4.ratioToCeiling} (target >= 0.9)`);
  if (bare && p1) {
    const overhead = round((100 * (p1.seconds - bare.seconds)) / bare.seconds, 1);
    notes.push(`provider overhead vs a bare task: ${overhead}% (${p1.seconds}s vs ${bare.seconds}s)`);
  }
  console.log("");
  for (const n of notes) console.log(n);
  fs.mkdirSync(opts.resultsDir, { recursive: true });
  const file = path.join(opts.resultsDir, "reindex.json");
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written ${file}`);
}
