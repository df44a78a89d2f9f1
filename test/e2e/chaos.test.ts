// The chaos suite's short run (bench/chaos, `npm run chaos`) with a fixed seed: a ClusterMigration of four indices,
// Elasticsearch 7.10 -> OpenSearch 2.19, an application writing at the source throughout, and per round one fault
// hitting the `up` in its phase, followed by only what the CLI says. The seed's five rounds: the provider process
// killed while an index verifies and while one repairs, the destination restarted while verifying, the CLI killed
// mid-copy, the destination's disk past its flood stage mid-copy. A failing round prints the command that replays it.
import { describe, expect, it } from "vitest";
import { formatTable, planRounds, recovered, tally } from "../../bench/chaos/plan";
import { runRounds } from "../../bench/chaos/suite";

const SEED = 276;

describe("a migration under chaos while an application writes", () => {
  // Five rounds of three to four ups each: minutes on an idle machine, far longer on a busy shared one.
  it(
    "loses, adds and changes no document and leaves a preview that plans nothing, whatever hits the up",
    async () => {
      const plans = planRounds(SEED, 5);
      expect(plans.map((p) => `${p.fault}@${p.phase}`)).toEqual([
        "provider-kill-verify@verify",
        "provider-kill-repair@repair",
        "dest-restart@verify",
        "sigkill-cli@copy",
        "dest-flood-stage@copy",
      ]);
      const results = await runRounds(plans, (line) => console.log(line));
      console.log(formatTable(tally(results)));
      for (const r of results) {
        const round = `round ${r.plan.round} (${r.plan.fault}; replay: npm run chaos -- --seed ${r.plan.seed} --rounds 1)`;
        expect({ lost: r.lost, extra: r.extra, differing: r.differing, cleanPreview: r.cleanPreview }, round).toEqual({
          lost: 0,
          extra: 0,
          differing: 0,
          cleanPreview: true,
        });
        expect(r.hit, `${round}: the fault hit the up in its ${r.plan.phase}`).toBe(true);
        expect(recovered(r)).toBe(true);
      }
    },
    30 * 60_000,
  );
});
