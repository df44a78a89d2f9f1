import { describe, expect, it } from "vitest";
import {
  FAULT_PHASES,
  FAULTS,
  formatTable,
  MAX_COPY_DELAY_MS,
  planRounds,
  tally,
  type RoundResult,
} from "../../bench/chaos/plan";

const result = (fault: (typeof FAULTS)[number], over: Partial<RoundResult> = {}): RoundResult => ({
  plan: { round: 1, seed: 1, fault, phase: FAULT_PHASES[fault][0], delayMs: 0 },
  hit: true,
  lost: 0,
  extra: 0,
  differing: 0,
  ups: 1,
  cleanPreview: true,
  ...over,
});

describe("the chaos suite's plan", () => {
  it("draws the same rounds from the same seed, and other rounds from another", () => {
    expect(planRounds(42, 5)).toEqual(planRounds(42, 5));
    expect(planRounds(42, 5)).not.toEqual(planRounds(43, 5));
  });

  it("replays a round from its own seed", () => {
    for (const round of planRounds(7, 6)) {
      const [again] = planRounds(round.seed, 1);
      expect({ ...again, round: round.round }).toEqual(round);
    }
  });

  it("uses every fault over enough rounds, each in a phase it can hit, a copy's moment within the bound", () => {
    const plans = planRounds(1, 90);
    expect(new Set(plans.map((p) => p.fault))).toEqual(new Set(FAULTS));
    for (const p of plans) expect(FAULT_PHASES[p.fault]).toContain(p.phase);
    expect(plans.every((p) => p.delayMs >= 0 && p.delayMs < MAX_COPY_DELAY_MS)).toBe(true);
    expect(plans.filter((p) => p.phase !== "copy").every((p) => p.delayMs === 0)).toBe(true);
    // A fault that may hit the copy or the verification hits each in some rounds.
    expect(new Set(plans.filter((p) => p.fault === "sigkill-cli").map((p) => p.phase))).toEqual(
      new Set(["copy", "verify"]),
    );
  });

  it("kills the provider only in the phase its fault names, and floods the disk while the destination copies", () => {
    expect(FAULT_PHASES["provider-kill-verify"]).toEqual(["verify"]);
    expect(FAULT_PHASES["provider-kill-repair"]).toEqual(["repair"]);
    expect(FAULT_PHASES["dest-flood-stage"]).toEqual(["copy"]);
  });

  it("draws only the faults a short run asks for", () => {
    const plans = planRounds(3, 20, ["sigkill-cli", "dest-flood-stage"]);
    expect(new Set(plans.map((p) => p.fault))).toEqual(new Set(["sigkill-cli", "dest-flood-stage"]));
  });
});

describe("the chaos suite's table", () => {
  it("counts a round with anything lost, extra, differing or a preview that plans changes as not recovered, and the rounds its fault missed", () => {
    const rows = tally([
      result("source-restart", { ups: 3 }),
      result("sigkill-cli", { ups: 2 }),
      result("sigkill-cli", { lost: 3 }),
      result("sigkill-cli", { cleanPreview: false, hit: false }),
      result("sigint"),
      result("remote-429-storm", { extra: 1, differing: 2 }),
      result("provider-kill-repair", { hit: false }),
    ]);
    expect(rows).toEqual([
      { fault: "sigkill-cli", rounds: 3, hit: 2, recovered: 1, lost: 3, extra: 0, differing: 0, maxUps: 2 },
      { fault: "sigint", rounds: 1, hit: 1, recovered: 1, lost: 0, extra: 0, differing: 0, maxUps: 1 },
      { fault: "remote-429-storm", rounds: 1, hit: 1, recovered: 0, lost: 0, extra: 1, differing: 2, maxUps: 1 },
      { fault: "source-restart", rounds: 1, hit: 1, recovered: 1, lost: 0, extra: 0, differing: 0, maxUps: 3 },
      { fault: "provider-kill-repair", rounds: 1, hit: 0, recovered: 1, lost: 0, extra: 0, differing: 0, maxUps: 1 },
    ]);
    expect(formatTable(rows).split("\n")).toEqual([
      "fault                 rounds  hit/missed  recovered  lost  extra  differing  ups (max)",
      "sigkill-cli                3         2/1          1     3      0          0          2",
      "sigint                     1         1/0          1     0      0          0          1",
      "remote-429-storm           1         1/0          0     0      1          2          1",
      "source-restart             1         1/0          1     0      0          0          3",
      "provider-kill-repair       1         0/1          1     0      0          0          1",
    ]);
  });
});
