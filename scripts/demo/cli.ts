// Running the Pulumi CLI on a demo stack: timed, with its output passed on line by line for a user watching, and
// what the demo reads back from the state (each Reindex's counts and task IDs).
import type { PulumiResult, RunningCommand, TestStack } from "../../test/world/pulumi";

export const CLI_FLAGS = ["--non-interactive", "--color", "never"];

/** Arguments of the commands the demo runs. */
export const COMMANDS = {
  preview: ["preview", ...CLI_FLAGS],
  up: ["up", "--yes", "--skip-preview", ...CLI_FLAGS],
  refresh: ["refresh", "--yes", "--skip-preview", ...CLI_FLAGS],
  destroy: ["destroy", "--yes", "--skip-preview", ...CLI_FLAGS],
};

/** One finished CLI run and its wall time. */
export interface TimedRun {
  result: PulumiResult;
  seconds: number;
}

/** Calls `onLine` with each complete line the command prints (stdout and stderr). */
export function followLines(cmd: RunningCommand, onLine: (line: string) => void): void {
  for (const stream of [cmd.child.stdout, cmd.child.stderr]) {
    let partial = "";
    stream?.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      lines.forEach(onLine);
    });
    stream?.on("end", () => partial && onLine(partial));
  }
}

/** Runs a CLI command to its end; throws with the output's tail when it fails (unless `check` is false). */
export async function timedRun(
  stack: TestStack,
  args: string[],
  opts: { onLine?: (line: string) => void; check?: boolean; env?: Record<string, string | undefined> } = {},
): Promise<TimedRun> {
  const started = Date.now();
  const cmd = stack.start(args, { env: opts.env });
  if (opts.onLine) followLines(cmd, opts.onLine);
  const result = await cmd.result;
  const seconds = (Date.now() - started) / 1000;
  if ((opts.check ?? true) && result.code !== 0) {
    const tail = (s: string) => s.split("\n").slice(-40).join("\n");
    throw new Error(
      `pulumi ${args.join(" ")} exited with ${result.code ?? result.signal}\n${tail(result.stdout)}\n${tail(result.stderr)}`,
    );
  }
  return { result, seconds };
}

/**
 * "N document(s) waiting" lines of a preview, one per Reindex with something to copy (the CLI prints each twice:
 * in the progress display and again under Diagnostics).
 */
export function waitingLines(output: string): string[] {
  const found = output.match(/reindex \S+ -> \S+: [\d,]+ document\(s\) waiting[^\n]*/g) ?? [];
  return [...new Set(found.map((l) => l.trim()))];
}

/** Sum of the documents the preview says are waiting. */
export function waitingTotal(output: string): number {
  // Counts are printed with thousands separators ("2,500").
  return waitingLines(output).reduce(
    (sum, l) => sum + Number((/([\d,]+) document\(s\) waiting/.exec(l)?.[1] ?? "0").replace(/,/g, "")),
    0,
  );
}

/** The outputs of one Reindex resource in the state. */
export interface ReindexState {
  urn: string;
  destIndex: string;
  created: number;
  updated: number;
  taskIds: string[];
  status: string;
}

/**
 * Every copy of the stack with its recorded counts and task IDs (`pulumi stack export`): each Reindex, and the copy
 * part (`copyState`) of each MigratedIndex (what ClusterMigration declares).
 */
export async function reindexStates(stack: TestStack): Promise<ReindexState[]> {
  const state = await stack.exportState();
  const copies = (state.deployment.resources ?? []).flatMap((r: any) => {
    if (typeof r.type !== "string") return [];
    if (r.type.endsWith(":Reindex")) return [{ urn: r.urn, copy: r.outputs ?? {} }];
    if (r.type.endsWith(":MigratedIndex") && r.outputs?.copyState !== undefined)
      return [{ urn: r.urn, copy: r.outputs.copyState }];
    return [];
  });
  return copies.map(({ urn, copy }: { urn: string; copy: any }) => ({
    urn,
    destIndex: copy.destIndex,
    created: copy.created ?? 0,
    updated: copy.updated ?? 0,
    taskIds: copy.taskIds ?? [],
    status: copy.status,
  }));
}

/** Seconds of a duration as the estimate lines print it ("4.2s", "1m05s", "2h03m"). */
export function parseDuration(text: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:([\d.]+)s)?$/.exec(text);
  if (m === null || text === "") throw new Error(`not a duration: "${text}"`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** The copy estimates a preview printed ("estimate <source> -> <dest>: ... about 4.2s at ..."), seconds by source index. */
export function estimatedSeconds(output: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of output.matchAll(/estimate (\S+) -> \S+: [\d,]+ document\(s\)[^\n]*? about (\S+) at /g))
    out.set(m[1], parseDuration(m[2]));
  return out;
}

/** Each MigratedIndex's last copy duration (`copyState.durationSeconds`), by source index. */
export async function copySeconds(stack: TestStack): Promise<Map<string, number>> {
  const state = await stack.exportState();
  const out = new Map<string, number>();
  for (const r of state.deployment.resources ?? []) {
    if (typeof r.type === "string" && r.type.endsWith(":MigratedIndex") && r.outputs?.copyState !== undefined)
      out.set(r.outputs.sourceIndex, r.outputs.copyState.durationSeconds ?? 0);
  }
  return out;
}
