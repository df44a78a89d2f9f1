// `npm run chaos -- --seed N --rounds K`: K rounds of the chaos suite (./suite), each a fault drawn from the seed
// hitting a migration's `up` in the phase drawn with it, while an application writes at the source. Prints each
// round, then the table per fault (rounds, hit/missed, recovered, lost, extra, differing, the `up`s needed); a round
// that did not recover prints the command that replays it.
import { buildPackage } from "../../test/world/build";
import { FAULTS, formatTable, planRounds, recovered, tally, type FaultKind } from "./plan";
import { runRounds } from "./suite";

const USAGE = "usage: npm run chaos -- --seed N --rounds K [--faults a,b,...]";

function parseArgs(argv: string[]): { seed: number; rounds: number; faults: readonly FaultKind[] } {
  const out: { seed: number; rounds: number; faults: readonly FaultKind[] } = {
    seed: Date.now() % 2 ** 31,
    rounds: 5,
    faults: FAULTS,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = inline ?? argv[++i];
    if (flag === "--faults") {
      const names = value?.split(",") ?? [];
      const unknown = names.filter((n) => !(FAULTS as readonly string[]).includes(n));
      if (names.length === 0 || unknown.length > 0)
        throw new Error(`--faults ${value}: give a comma list of ${FAULTS.join(", ")}`);
      out.faults = names as FaultKind[];
      continue;
    }
    const n = Number(value);
    if (flag !== "--seed" && flag !== "--rounds") throw new Error(`unknown option ${flag}: ${USAGE}`);
    if (!Number.isInteger(n) || n < (flag === "--seed" ? 0 : 1))
      throw new Error(`${flag} ${value}: give a ${flag === "--seed" ? "non-negative" : "positive"} integer`);
    if (flag === "--seed") out.seed = n;
    else out.rounds = n;
  }
  return out;
}

async function main(argv: string[]): Promise<void> {
  const { seed, rounds, faults } = parseArgs(argv);
  const plans = planRounds(seed, rounds, faults);
  const say = (line: string) => void process.stdout.write(`${line}\n`);
  say(
    `chaos: seed ${seed}, ${rounds} round(s): ${plans.map((p) => `${p.fault}@${p.phase}${p.phase === "copy" ? `+${p.delayMs}ms` : ""}`).join(", ")}`,
  );
  buildPackage("pipe");
  // The table so far after every round: a run cut short still reports what its rounds found.
  const results = await runRounds(plans, say, (sofar) => {
    if (sofar.length < plans.length) say(`${formatTable(tally(sofar))}\n`);
  });
  say(`\n${formatTable(tally(results))}`);
  const failed = results.filter((r) => !recovered(r));
  if (failed.length > 0) {
    say(
      `\nreplay: ${failed.map((r) => `npm run chaos -- --seed ${r.plan.seed} --rounds 1${faults === FAULTS ? "" : ` --faults ${faults.join(",")}`}`).join("\n        ")}`,
    );
    process.exitCode = 1;
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exit(1);
});
