import { describe, expect, it } from "vitest";
import { FAULTS, formatTable, planRounds, tally, type RoundResult } from "../../bench/chaos/plan";

const result = (fault: (typeof FAULTS)[number], over: Partial<RoundResult> = {}): RoundResult => ({
  plan: { round: 1, seed: 1, fault, atMs: 0 },
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
      expect({ fault: again.fault, atMs: again.atMs }).toEqual({ fault: round.fault, atMs: round.atMs });
    }
  });

  it("uses every fault over enough rounds, each moment within the bound", () => {
    const plans = planRounds(1, 60, 15_000);
    expect(new Set(plans.map((p) => p.fault))).toEqual(new Set(FAULTS));
    expect(plans.every((p) => p.atMs >= 0 && p.atMs < 15_000)).toBe(true);
  });

  it("injects the link's drops and 429 storms and both nodes' restarts besides the CLI's deaths", () => {
    expect([...FAULTS].sort()).toEqual(
      ["dest-restart", "remote-429-storm", "remote-drops", "sigint", "sigkill-cli", "source-restart"].sort(),
    );
  });
});

describe("the chaos suite's table", () => {
  it("counts a round with anything lost, extra, differing or a preview that plans changes as not recovered", () => {
    const rows = tally([
      result("source-restart", { ups: 3 }),
      result("sigkill-cli", { ups: 2 }),
      result("sigkill-cli", { lost: 3 }),
      result("sigkill-cli", { cleanPreview: false }),
      result("sigint"),
      result("remote-429-storm", { extra: 1, differing: 2 }),
    ]);
    expect(rows).toEqual([
      { fault: "sigkill-cli", rounds: 3, recovered: 1, lost: 3, extra: 0, differing: 0, maxUps: 2 },
      { fault: "sigint", rounds: 1, recovered: 1, lost: 0, extra: 0, differing: 0, maxUps: 1 },
      { fault: "remote-429-storm", rounds: 1, recovered: 0, lost: 0, extra: 1, differing: 2, maxUps: 1 },
      { fault: "source-restart", rounds: 1, recovered: 1, lost: 0, extra: 0, differing: 0, maxUps: 3 },
    ]);
    expect(formatTable(rows).split("\n")).toEqual([
      "fault             rounds  recovered  lost  extra  differing  ups (max)",
      "sigkill-cli            3          1     3      0          0          2",
      "sigint                 1          1     0      0          0          1",
      "remote-429-storm       1          0     0      1          2          1",
      "source-restart         1          1     0      0          0          3",
    ]);
  });
});
