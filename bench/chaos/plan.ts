// The chaos suite's decisions, pure: which fault each round injects and when (from the seed alone, so a failing
// round is replayed by its seed), and the per-fault table of what the rounds found.

/**
 * Faults a round can inject. Only those the runner implements are listed: the CLI's own deaths, the link between the
 * clusters (every connection of the destination's remote reads dropped, or every request answered 429, for a while),
 * and a node's restart on the same data path.
 */
export const FAULTS = [
  "sigkill-cli",
  "sigint",
  "remote-drops",
  "remote-429-storm",
  "dest-restart",
  "source-restart",
] as const;
export type FaultKind = (typeof FAULTS)[number];

export interface RoundPlan {
  round: number;
  /** The round's own seed: `npm run chaos -- --seed <it> --rounds 1` replays the round. */
  seed: number;
  fault: FaultKind;
  /** Milliseconds after the copy starts (the first "started"/"attaching" line) at which the fault hits. */
  atMs: number;
}

/** mulberry32: a small, fast PRNG with a 32-bit state; the same seed gives the same sequence everywhere. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The rounds of a run: each round's seed drawn from the run's seed, its fault and moment from its own seed. */
export function planRounds(seed: number, rounds: number, maxAtMs = 15_000): RoundPlan[] {
  const next = random(seed);
  return Array.from({ length: rounds }, (_, i) => {
    const roundSeed = rounds === 1 ? seed : Math.floor(next() * 2 ** 31);
    const r = random(roundSeed);
    return {
      round: i + 1,
      seed: roundSeed,
      fault: FAULTS[Math.floor(r() * FAULTS.length)],
      atMs: Math.floor(r() * maxAtMs),
    };
  });
}

/** What a round found once the user did what the CLI said. */
export interface RoundResult {
  plan: RoundPlan;
  /** Source documents missing at the destination, destination documents the source does not have, same id other `_source`. */
  lost: number;
  extra: number;
  differing: number;
  /** `pulumi up` runs it took to get a successful one after the fault (the catch-up after the writer stopped not counted). */
  ups: number;
  /** The preview after the round planned nothing. */
  cleanPreview: boolean;
}

export const recovered = (r: RoundResult) => r.lost === 0 && r.extra === 0 && r.differing === 0 && r.cleanPreview;

export interface FaultRow {
  fault: FaultKind;
  rounds: number;
  recovered: number;
  lost: number;
  extra: number;
  differing: number;
  /** The most `up`s a round of this fault needed. */
  maxUps: number;
}

/** One row per fault that ran, in FAULTS order. */
export function tally(results: RoundResult[]): FaultRow[] {
  return FAULTS.flatMap((fault) => {
    const of = results.filter((r) => r.plan.fault === fault);
    if (of.length === 0) return [];
    const sum = (k: "lost" | "extra" | "differing") => of.reduce((s, r) => s + r[k], 0);
    return [
      {
        fault,
        rounds: of.length,
        recovered: of.filter(recovered).length,
        lost: sum("lost"),
        extra: sum("extra"),
        differing: sum("differing"),
        maxUps: Math.max(...of.map((r) => r.ups)),
      },
    ];
  });
}

/** The table the run prints, one line per fault. */
export function formatTable(rows: FaultRow[]): string {
  const head = ["fault", "rounds", "recovered", "lost", "extra", "differing", "ups (max)"];
  const lines = rows.map((r) => [r.fault, r.rounds, r.recovered, r.lost, r.extra, r.differing, r.maxUps].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [fmt(head), ...lines.map(fmt)].join("\n");
}
