// Where a ClusterMigration preview's time goes (issue #14), with the real Pulumi CLI on local engines:
//   npx tsx bench/profile-preview.ts [--indices 200] [--groups 0,4] [--samples 4] [--up] [--out DIR]
// 1. previews of an empty program, an empty program that loads @pulumi/pulumi, the grouped layout's shape with a
//    provider that does nothing (for the last `groups` value), and the local example over the indices with each
//    `groups` value (0: one MigratedIndex per index), alternated, `--samples` each;
// 2. one preview of the last `groups` value with the engine's verbose log: the milestones (program start, each
//    registration, the dynamic provider's launch, each check);
//    With --up: a first `pulumi up` of that stack, then one verbose `up` with nothing waiting (each diff's end);
// 3. one preview with `NODE_OPTIONS=--cpu-prof`: the program's profile summed by module loaded and by package
//    (the dynamic provider process writes none: the engine kills it at the end); with --up, also the ups with nothing
//    waiting against the empty stack's (and the no-op shape's), `--samples` each, and one such up's program profile.
// Not part of `npm run bench`: it prints figures to read, and writes the raw log and profiles under --out (default:
// pulumi-es-migrate-profile in the system's temporary folder).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { COMMANDS, timedRun } from "../scripts/demo/cli";
import { createLocalStack, prepareWorld, startClusters } from "../scripts/demo/world";
import { createStack, type TestStack } from "../test/world/pulumi";
import { createSmallIndices, EMPTY_PROGRAM, median, noOpProgram, SDK_ONLY_PROGRAM } from "./preview";
import { engineTimeline, summarizeCpuProfile, type CpuProfile } from "./profile";

/**
 * Pulumi's own cost of the grouped layout: `groups` dynamic resources holding `indices` members between them, with the
 * same inputs as MigratedIndexGroup's, whose provider does nothing but keep a real member's state (3.4 KB, from a
 * 10-document index copied here) for each index as the group does (its JSON text, and a summary row), so a check and a
 * diff carry what a group's do.
 */
function noOpGroupedProgram(indices: number, groups: number): string {
  const member = fs.readFileSync(path.join(__dirname, "fixtures", "group-member.json"), "utf8").trim();
  return `
const pulumi = require("@pulumi/pulumi");
const member = ${member};
const provider = {
  async check(olds, news) { return { inputs: news }; },
  async diff() { return { changes: false }; },
  async create(inputs) {
    const members = {};
    for (const k of Object.keys(inputs.indices)) members[k] = JSON.stringify({ ...member, sourceIndex: k, destIndex: k });
    const summary = Object.keys(members).sort().map((k) => ({ ...member.summary, index: k, destIndex: k }));
    return { id: "group-" + inputs.group.index, outs: { ...inputs, members, summary } };
  },
};
class Migration extends pulumi.ComponentResource { constructor(name) { super("bench:index:Migration", name, {}, {}); } }
const parent = new Migration("cm");
const connections = pulumi.secret({ destination: { url: "http://d:9200" }, source: { url: "http://s:9200" } });
for (let g = 0; g < ${groups}; g++) {
  const indices = {};
  for (let i = g; i < ${indices}; i += ${groups}) indices["i" + i] = { sourceIndex: "i" + i, destIndex: "i" + i, target: {}, copy: { mode: { type: "incremental", field: "update_time" } }, finish: {} };
  new pulumi.dynamic.Resource(provider, "cm-group-" + g, { connections, migration: "cm", group: { index: g, count: ${groups} }, concurrency: 8, indices, members: undefined, summary: undefined }, { parent, additionalSecretOutputs: ["connections"] });
}
`;
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const indices = Number(option("indices", "200"));
  const groupCounts = option("groups", "0,4").split(",").map(Number);
  const samples = Number(option("samples", "4"));
  const out = path.resolve(option("out", path.join(os.tmpdir(), "pulumi-es-migrate-profile")));
  fs.mkdirSync(out, { recursive: true });

  await prepareWorld(() => {});
  const { source, destination } = await startClusters();
  const stacks: Record<string, TestStack> = {};
  try {
    await createSmallIndices(source.url, indices, 10);
    stacks.empty = await createStack({ program: EMPTY_PROGRAM, project: "empty-profile", stack: "p" });
    stacks["sdk only"] = await createStack({ program: SDK_ONLY_PROGRAM, project: "sdk-profile", stack: "p" });
    const lastGroups = groupCounts[groupCounts.length - 1];
    stacks[`no-op ${lastGroups}`] = await createStack({
      program: lastGroups > 0 ? noOpGroupedProgram(indices, lastGroups) : noOpProgram(indices),
      project: "noop-groups-profile",
      stack: "p",
    });
    for (const groups of groupCounts) {
      stacks[`groups ${groups}`] = await createLocalStack({
        sourceUrl: source.url,
        destinationUrl: destination.url,
        mode: "incremental",
        incrementalField: "update_time",
        include: ["bench-*"],
        concurrency: 8,
        groups: groups === 0 ? undefined : groups,
      });
    }
    const seconds: Record<string, number[]> = {};
    for (const s of Object.values(stacks)) await timedRun(s, COMMANDS.preview); // unmeasured: disk caches
    for (let i = 0; i < samples; i++) {
      for (const [label, s] of Object.entries(stacks))
        (seconds[label] ??= []).push((await timedRun(s, COMMANDS.preview)).seconds);
    }
    const empty = median(seconds.empty);
    console.log(`preview of ${indices} indices, median of ${samples}:`);
    for (const [label, xs] of Object.entries(seconds))
      console.log(
        `  ${label.padEnd(10)} ${median(xs).toFixed(2)} s = ${(median(xs) / empty).toFixed(2)}x empty  (${xs.map((x) => x.toFixed(2)).join(", ")})`,
      );

    const profiled = stacks[`groups ${lastGroups}`];
    const noOp = stacks[`no-op ${lastGroups}`];
    const verbose = await timedRun(profiled, [...COMMANDS.preview, "-v=9", "--logtostderr"]);
    fs.writeFileSync(path.join(out, "preview-v9.log"), verbose.result.stderr);
    console.log(
      `\nengine milestones of one verbose preview (${verbose.seconds.toFixed(2)} s; log: ${path.join(out, "preview-v9.log")}):`,
    );
    for (const m of engineTimeline(verbose.result.stderr)) console.log(`  ${m.at.toFixed(3).padStart(7)} s  ${m.what}`);

    if (process.argv.includes("--up")) {
      // `pulumi up` with nothing waiting: a first up copies the indices, then one verbose up.
      await timedRun(profiled, COMMANDS.up);
      const up = await timedRun(profiled, [...COMMANDS.up, "-v=9", "--logtostderr"]);
      fs.writeFileSync(path.join(out, "up-v9.log"), up.result.stderr);
      console.log(
        `\nengine milestones of one verbose up with nothing waiting (${up.seconds.toFixed(2)} s; log: ${path.join(out, "up-v9.log")}):`,
      );
      for (const m of engineTimeline(up.result.stderr)) console.log(`  ${m.at.toFixed(3).padStart(7)} s  ${m.what}`);
      const ups: Record<string, number[]> = { empty: [], grouped: [], "no-op": [] };
      if (noOp !== undefined) await timedRun(noOp, COMMANDS.up); // its state: the groups with their members
      for (let i = 0; i < samples; i++) {
        ups.empty.push((await timedRun(stacks.empty, COMMANDS.up)).seconds);
        ups.grouped.push((await timedRun(profiled, COMMANDS.up)).seconds);
        if (noOp !== undefined) ups["no-op"].push((await timedRun(noOp, COMMANDS.up)).seconds);
      }
      console.log(`\nup with nothing waiting, median of ${samples}:`);
      for (const [label, xs] of Object.entries(ups).filter(([, xs]) => xs.length > 0)) {
        console.log(
          `  ${label.padEnd(10)} ${median(xs).toFixed(2)} s = ${(median(xs) / median(ups.empty)).toFixed(2)}x empty  (${xs.map((x) => x.toFixed(2)).join(", ")})`,
        );
      }
      printProfile("up with nothing waiting", await profileProgram(profiled, COMMANDS.up, path.join(out, "cpu-up")));
      await timedRun(profiled, COMMANDS.destroy, { check: false });
    }

    printProfile("preview", await profileProgram(profiled, COMMANDS.preview, path.join(out, "cpu")));
  } finally {
    for (const s of Object.values(stacks)) await s.remove().catch(() => {});
    await destination.stop();
    await source.stop();
  }
}

/** One run of `command` with the program (and the language host's Node processes) writing CPU profiles into `dir`. */
async function profileProgram(
  stack: TestStack,
  command: string[],
  dir: string,
): Promise<{ dir: string; program: ReturnType<typeof summarizeCpuProfile> }> {
  fs.rmSync(dir, { recursive: true, force: true });
  await timedRun(stack, command, { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` } });
  // The program's profile is the longest one (the language host's own Node processes are short; the dynamic provider
  // process writes none: the engine kills it at the end).
  const profiles = fs
    .readdirSync(dir)
    .map((f) => summarizeCpuProfile(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as CpuProfile));
  return { dir, program: profiles.sort((a, b) => b.wallMs - a.wallMs)[0] };
}

function printProfile(what: string, { dir, program }: Awaited<ReturnType<typeof profileProgram>>): void {
  console.log(
    `\nthe program's CPU profile of one ${what} (${dir}): ${program.wallMs} ms, ${program.idleMs} ms idle (waiting for the engine), ${program.loadingMs} ms loading modules`,
  );
  console.log("  loading, by the outermost module loaded:");
  for (const [m, ms] of program.loadingByModule) console.log(`    ${String(ms).padStart(6)} ms  ${m}`);
  console.log("  self time by package:");
  for (const [p, ms] of program.selfByPackage) console.log(`    ${String(ms).padStart(6)} ms  ${p}`);
  console.log("  self time by function:");
  for (const [f, ms] of program.selfByFunction) console.log(`    ${String(ms).padStart(6)} ms  ${f}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
