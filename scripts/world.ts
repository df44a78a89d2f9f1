// `npm run world -- build`: builds the engines, the Pulumi CLI and Pulumi's YAML host of the test world ahead of
// the tests and the demo (see test/world/build.ts). `.ci/run` calls it before `npm test`.
import { buildTestWorld } from "../test/world/build";

const USAGE = "usage: npm run world -- build";

async function main([command]: string[]): Promise<void> {
  if (command !== "build") throw new Error(USAGE);
  const bin = await buildTestWorld((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`test world ready (Pulumi CLI in ${bin})\n`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
