// How the chaos suite's faults reach a running `up`: the phase each waits for (read from what the CLI prints and
// what the destination runs, not from the clock), the fault itself, and whether it hit the up in that phase.
import { readdirSync, readFileSync } from "node:fs";
import type { EngineNode } from "../../test/world/engines";
import { esJson } from "../../test/world/fixtures";
import type { Proxy } from "../../test/world/proxy";
import type { RunningCommand, TestStack } from "../../test/world/pulumi";
import type { FaultKind, Phase, RoundPlan } from "./plan";

/** Where a round's lines go (stdout for `npm run chaos`, the test's log in vitest). */
export type Say = (line: string) => void;

export interface World {
  stack: TestStack;
  source: EngineNode;
  dest: EngineNode;
  /** Between the clusters: the destination's remote reads of the source. */
  link: Proxy;
  /** The migrated indices (the same names at both ends). */
  indices: string[];
}

/** How long the link between the clusters drops every connection, or answers every request 429. */
const LINK_FAULT_MS = 10_000;
/** How long the destination's disk stays past its flood stage once its indices are read-only. */
const FLOOD_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The provider's lines that open and close each phase, per index (`reindex <source> -> <destination>: ...`).
const COPY_START = /started \d+ task\(s\)|attaching to the reindex task/;
const VERIFY_START = /(reindex \S+ -> \S+): verifying \(/g;
const VERIFY_END = /(reindex \S+ -> \S+): (verified \(|done, \d)/g;
const REPAIR_START =
  /(reindex \S+ -> \S+): (verification \(.*copying them again|.*copying the whole scope again|deleting [\d,]+ destination documents?)/g;

/** The indices whose phase opened and has not closed yet in the output so far (closed: the index's verification ended). */
function openIn(output: string, start: RegExp): string[] {
  const opened = [...output.matchAll(start)].map((m) => m[1]);
  const closed = new Set([...output.matchAll(VERIFY_END)].map((m) => m[1]));
  return opened.filter((what) => !closed.has(what));
}

/** Reindex tasks the destination runs now (the copy's, or a repair's). */
async function runningCopies(dest: EngineNode): Promise<number> {
  const res = await esJson(dest.url, "GET", "/_tasks?actions=*reindex").catch(() => undefined);
  return Object.values<{ tasks?: object }>(res?.nodes ?? {}).reduce(
    (n, node) => n + Object.keys(node.tasks ?? {}).length,
    0,
  );
}

/** Whether the `up` is in the phase right now. */
async function inPhase(phase: Phase, run: RunningCommand, world: World): Promise<boolean> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return false;
  if (phase === "copy") return (await runningCopies(world.dest)) > 0;
  return openIn(run.output(), phase === "verify" ? VERIFY_START : REPAIR_START).length > 0;
}

/** Resolves true once the `up` enters the phase (its line printed), false if the up ends first. */
async function phaseStarted(phase: Phase, run: RunningCommand): Promise<boolean> {
  const line = phase === "copy" ? COPY_START : phase === "verify" ? VERIFY_START : REPAIR_START;
  // waitForOutput tests with `test`: a global pattern keeps its lastIndex between calls, so a fresh one.
  return run.waitForOutput(new RegExp(line.source), 3_600_000).then(
    () => true,
    () => false,
  );
}

/** The parent pid and command line of every process, from /proc (Linux). */
function processTable(): { pid: number; ppid: number; cmdline: string }[] {
  const table: { pid: number; ppid: number; cmdline: string }[] = [];
  for (const entry of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      // The command name in parentheses may hold spaces: the fields after its closing one are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      table.push({ pid: Number(entry), ppid, cmdline });
    } catch {
      // exited meanwhile
    }
  }
  return table;
}

/** The dynamic provider processes this CLI run started (its descendants running Pulumi's dynamic-provider). */
export function providersOf(cliPid: number): number[] {
  const table = processTable();
  const mine = new Set([cliPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of table)
      if (mine.has(p.ppid) && !mine.has(p.pid)) {
        mine.add(p.pid);
        grew = true;
      }
  }
  return table.filter((p) => mine.has(p.pid) && p.cmdline.includes("dynamic-provider")).map((p) => p.pid);
}

/** Whether any of the indices carries the read-only-allow-delete block (a flood stage's). */
async function readOnly(dest: EngineNode, indices: string[]): Promise<boolean> {
  const res = await esJson(
    dest.url,
    "GET",
    `/${indices.join(",")}/_settings/index.blocks.read_only_allow_delete?flat_settings=true`,
  ).catch(() => undefined);
  return Object.values<{ settings?: Record<string, string> }>(res ?? {}).some(
    (i) => i.settings?.["index.blocks.read_only_allow_delete"] === "true",
  );
}

async function until(cond: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return true;
    await sleep(250);
  }
  return false;
}

/**
 * The destination's disk past its flood stage, then below its watermarks again, as the node's own disk monitor sees
 * it: watermarks in free bytes above what the disk has (then below), the monitor looking every 10 s (its minimum).
 * At the flood stage the monitor puts `index.blocks.read_only_allow_delete` on every index with a shard on the node:
 * writes are refused with 429 `cluster_block_exception` (`disk usage exceeded flood-stage watermark`), deletes still
 * pass. The block is put on at once here, as the monitor does at its next look (up to 10 s later); below the high
 * watermark again the monitor lifts it by itself (Elasticsearch 7.4+, OpenSearch). Resolves once the block is gone.
 */
async function floodStage(dest: EngineNode, indices: string[]): Promise<void> {
  const watermarks = (low: string, high: string, flood: string) => ({
    transient: {
      "cluster.routing.allocation.disk.threshold_enabled": true,
      "cluster.info.update.interval": "10s",
      "cluster.routing.allocation.disk.watermark.low": low,
      "cluster.routing.allocation.disk.watermark.high": high,
      "cluster.routing.allocation.disk.watermark.flood_stage": flood,
    },
  });
  await esJson(dest.url, "PUT", "/_cluster/settings", watermarks("1000tb", "1000tb", "1000tb"));
  await esJson(dest.url, "PUT", "/_all/_settings", { "index.blocks.read_only_allow_delete": true });
  await sleep(FLOOD_MS);
  await esJson(dest.url, "PUT", "/_cluster/settings", watermarks("3b", "2b", "1b"));
  if (!(await until(async () => !(await readOnly(dest, indices)), 60_000)))
    throw new Error("the destination's disk monitor did not lift the flood stage's read-only block within 60 s");
  await esJson(dest.url, "PUT", "/_cluster/settings", {
    transient: Object.fromEntries(Object.keys(watermarks("", "", "").transient).map((k) => [k, null])),
  });
}

/** Injects the fault into the running `up`; resolves once it is over (the link healed, the node up) with whether it hit. */
async function inject(fault: FaultKind, run: RunningCommand, world: World, say: Say): Promise<boolean> {
  switch (fault) {
    case "sigkill-cli":
      run.signal("SIGKILL", { cliOnly: true });
      return true;
    case "sigint":
      run.signal("SIGINT");
      return true;
    case "remote-drops":
    case "remote-429-storm": {
      const armed = world.link.setFault(
        fault === "remote-drops"
          ? { kind: "drop", afterBytes: 0 }
          : { kind: "status", status: 429, retryAfterSeconds: 1 },
      );
      await sleep(LINK_FAULT_MS);
      world.link.setFault(undefined);
      say(`  the link's ${fault} hit ${armed?.hits ?? 0} request(s) in ${LINK_FAULT_MS / 1000} s`);
      return (armed?.hits ?? 0) > 0;
    }
    case "dest-restart":
      await world.dest.restart();
      return true;
    case "source-restart":
      await world.source.restart();
      return true;
    case "dest-flood-stage":
      await floodStage(world.dest, world.indices);
      return true;
    case "provider-kill-verify":
    case "provider-kill-repair": {
      const pids = providersOf(run.child.pid!);
      for (const pid of pids) process.kill(pid, "SIGKILL");
      say(`  killed provider process(es) ${pids.join(", ") || "(none found)"}`);
      return pids.length > 0;
    }
  }
}

/**
 * Waits for the round's phase of the `up`, lets `delayMs` pass, injects the fault and resolves once it is over, with
 * whether it hit the up in that phase. An up that ends before the phase (a round with nothing to repair, say) gets no
 * fault: the round counts as missed.
 */
export async function strike(plan: RoundPlan, run: RunningCommand, world: World, say: Say): Promise<boolean> {
  if (!(await phaseStarted(plan.phase, run))) {
    say(`  ${plan.fault}: missed, the up ended without a ${plan.phase} phase`);
    return false;
  }
  await Promise.race([sleep(plan.delayMs), run.result]);
  const inside = await inPhase(plan.phase, run, world);
  const hit = (await inject(plan.fault, run, world, say)) && inside;
  say(
    `  ${plan.fault} ${hit ? `hit the up in its ${plan.phase}` : `missed (the up ${inside ? "was in its" : "was past its"} ${plan.phase})`}`,
  );
  return hit;
}
