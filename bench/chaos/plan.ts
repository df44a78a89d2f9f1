// The chaos suite's decisions, pure: which fault each round injects and at which moment of the `up` (from the seed
// alone, so a failing round is replayed by its seed), and the per-fault table of what the rounds found.

/**
 * Faults a round can inject: the CLI's own deaths, the link between the clusters (every connection of the
 * destination's remote reads dropped, or every request answered 429, for a while), a node's restart on the same data
 * path, the destination's disk past its flood stage (its indices read-only until the disk is below the watermarks
 * again), and the provider process killed while it verifies or repairs.
 */
export const FAULTS = [
  "sigkill-cli",
  "sigint",
  "remote-drops",
  "remote-429-storm",
  "dest-restart",
  "source-restart",
  "dest-flood-stage",
  "provider-kill-verify",
  "provider-kill-repair",
] as const;
export type FaultKind = (typeof FAULTS)[number];

/**
 * The part of the `up` a fault hits, recognised as it happens (not guessed from the clock): `copy` once the
 * destination runs the copy's tasks (the "started N task(s)" or "attaching" line), `verify` once an index's
 * verification starts (its "verifying" line), `repair` once a verification writes its repairs at the destination.
 */
export type Phase = "copy" | "verify" | "repair";

/** The phases each fault may hit: the link and the disk matter while the destination copies. */
export const FAULT_PHASES: Record<FaultKind, readonly Phase[]> = {
  "sigkill-cli": ["copy", "verify"],
  sigint: ["copy", "verify"],
  "remote-drops": ["copy"],
  "remote-429-storm": ["copy"],
  "dest-restart": ["copy", "verify"],
  "source-restart": ["copy", "verify"],
  "dest-flood-stage": ["copy"],
  "provider-kill-verify": ["verify"],
  "provider-kill-repair": ["repair"],
};

/** A fault in the copy comes within this long of its start: every round's copy lasts longer (run.ts ROUND_DOCS). */
export const MAX_COPY_DELAY_MS = 3_000;

export interface RoundPlan {
  round: number;
  /** The round's own seed: `npm run chaos -- --seed <it> --rounds 1` replays the round. */
  seed: number;
  fault: FaultKind;
  phase: Phase;
  /** Milliseconds after the phase starts at which the fault hits (0 outside the copy: verifications are short). */
  delayMs: number;
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

/** The round a seed stands for: its fault, the phase it hits and the moment in that phase. */
export function planRound(round: number, seed: number, faults: readonly FaultKind[] = FAULTS): RoundPlan {
  const r = random(seed);
  const fault = faults[Math.floor(r() * faults.length)];
  const phases = FAULT_PHASES[fault];
  const phase = phases[Math.floor(r() * phases.length)];
  const delayMs = Math.floor(r() * MAX_COPY_DELAY_MS);
  return { round, seed, fault, phase, delayMs: phase === "copy" ? delayMs : 0 };
}

/**
 * The rounds of a run: each round's seed drawn from the run's seed, its fault and moment from its own seed. With
 * `faults`, only those are drawn (a short run covering chosen faults); a one-round run replays the seed as a round's.
 */
export function planRounds(seed: number, rounds: number, faults: readonly FaultKind[] = FAULTS): RoundPlan[] {
  const next = random(seed);
  return Array.from({ length: rounds }, (_, i) =>
    planRound(i + 1, rounds === 1 ? seed : Math.floor(next() * 2 ** 31), faults),
  );
}

/** What a round found once the user did what the CLI said. */
export interface RoundResult {
  plan: RoundPlan;
  /** The fault came while the `up` was in its phase (not after the up had ended, or with nothing to hit). */
  hit: boolean;
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
  /** Rounds whose fault hit the up in its phase; the others missed it. */
  hit: number;
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
        hit: of.filter((r) => r.hit).length,
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
  const head = ["fault", "rounds", "hit/missed", "recovered", "lost", "extra", "differing", "ups (max)"];
  const lines = rows.map((r) =>
    [r.fault, r.rounds, `${r.hit}/${r.rounds - r.hit}`, r.recovered, r.lost, r.extra, r.differing, r.maxUps].map(
      String,
    ),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [fmt(head), ...lines.map(fmt)].join("\n");
}
