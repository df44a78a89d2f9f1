// `npm run world -- build`: builds every part of the test world ahead of the tests (each engine line's launcher
// with Maven, the Pulumi CLI and its Node.js language host with Go), so that a cold machine pays the build once,
// up front, with its time printed, instead of inside the first test that needs a part. Warm runs return at once.
import { ENGINE_LINES, buildEngine } from "../test/world/engines";
import { ensurePulumiCli } from "../test/world/pulumi";

async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await step();
  process.stdout.write(`${what}\t${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

async function build(): Promise<void> {
  // The Go build is the long one (minutes on 2 cores, cold): Maven's downloads run beside it.
  const cli = timed("pulumi cli", ensurePulumiCli);
  const engines = (async () => {
    for (const line of ENGINE_LINES) {
      for (const version of line.verified) await timed(`${line.engine}@${version}`, () => buildEngine(line.engine, version));
    }
  })();
  const bin = await cli;
  await engines;
  process.stdout.write(`test world ready (Pulumi CLI in ${bin})\n`);
}

const USAGE = "usage: npm run world -- build";

async function main([command]: string[]): Promise<void> {
  if (command !== "build") throw new Error(USAGE);
  await build();
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
