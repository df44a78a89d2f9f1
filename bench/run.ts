// `npm run bench [-- --only reindex|verify|preview|snapshot|cutover|estimate] [--docs N] [--layout L]`: runs the benchmarks and writes bench/results/*.json.
// Each benchmark is a module exporting `run(options)`; they run one after another (the machine has 2 cores).
import * as path from "node:path";
import { startClusters } from "../scripts/demo/world";

export interface BenchOptions {
  /** Documents for data benchmarks (`--docs N`); each benchmark has its own default. */
  docs?: number;
  /** Use running nodes instead of starting the test world's (`--source URL --dest URL`; the destination must allow the source). */
  sourceUrl?: string;
  destUrl?: string;
  /** Where results go (bench/results). */
  resultsDir: string;
  /** The program's shape, for a benchmark that measures more than one (`--layout`, e.g. cutover's "cluster"). */
  layout?: string;
}

/** The nodes a data benchmark runs on: the user's (`--source URL --dest URL`, left running) or the test world's. */
export async function benchClusters(
  opts: BenchOptions,
): Promise<{ source: { url: string; stop(): Promise<void> }; destination: { url: string; stop(): Promise<void> } }> {
  if (opts.sourceUrl === undefined || opts.destUrl === undefined) return startClusters();
  const keep = async () => {};
  return { source: { url: opts.sourceUrl, stop: keep }, destination: { url: opts.destUrl, stop: keep } };
}

const BENCHMARKS: Record<string, string> = {
  reindex: "./reindex",
  verify: "./verify",
  preview: "./preview",
  snapshot: "./snapshot",
  cutover: "./cutover",
  estimate: "./estimate",
};

type Args = { only?: string; docs?: number; sourceUrl?: string; destUrl?: string; layout?: string };

function parseArgs(argv: string[]): Args {
  const out: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = inline ?? argv[i + 1];
    if (["--only", "--docs", "--source", "--dest", "--layout"].includes(flag)) {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      if (inline === undefined) i++;
      if (flag === "--source") out.sourceUrl = value;
      else if (flag === "--layout") out.layout = value;
      else if (flag === "--dest") out.destUrl = value;
      else if (flag === "--only") {
        if (!(value in BENCHMARKS))
          throw new Error(`--only ${value}: choose one of ${Object.keys(BENCHMARKS).join(", ")}`);
        out.only = value;
      } else {
        const n = Number(value.replace(/_/g, ""));
        if (!Number.isInteger(n) || n < 1) throw new Error(`--docs ${value}: give a positive integer`);
        out.docs = n;
      }
    } else {
      throw new Error(
        `unknown argument ${argv[i]}: bench takes --only ${Object.keys(BENCHMARKS).join("|")}, --docs N, --source URL --dest URL, --layout L`,
      );
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const names = args.only !== undefined ? [args.only] : Object.keys(BENCHMARKS);
  for (const name of names) {
    let mod: { run(o: BenchOptions): Promise<void> };
    try {
      mod = require(BENCHMARKS[name]);
    } catch (e) {
      if (
        args.only === undefined &&
        (e as { code?: string }).code === "MODULE_NOT_FOUND" &&
        String(e).includes(BENCHMARKS[name].slice(2))
      ) {
        console.log(`bench ${name}: not written yet, skipped`);
        continue;
      }
      throw e;
    }
    console.log(`\n=== bench ${name} ===`);
    await mod.run({
      docs: args.docs,
      sourceUrl: args.sourceUrl,
      destUrl: args.destUrl,
      layout: args.layout,
      resultsDir: path.join(__dirname, "results"),
    });
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  });
}
