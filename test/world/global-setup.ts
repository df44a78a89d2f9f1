// Runs once in the main vitest process before the integration and end-to-end tests.
import { buildPackage, buildTestWorld } from "./build";
import { RUN_ID_ENV, stopAllEngines } from "./engines";

export default async function setup(): Promise<() => Promise<void>> {
  // Pulumi programs under test load the package from dist/, so it must match the sources.
  buildPackage();
  // A fresh clone's `npm test` builds the engines and the Pulumi CLI here, once, rather than inside the first test
  // that needs them (where a cold Go build could outlast the test's timeout). Warm, this takes a second.
  await buildTestWorld((line) => process.stderr.write(`[test world] ${line}\n`));
  // Workers inherit the variable: every node they start is tagged with this run, and the teardown stops them all,
  // also those of a worker that crashed or forgot to stop its nodes.
  process.env[RUN_ID_ENV] ??= `${process.pid}-${Date.now()}`;
  return async () => {
    const left = await stopAllEngines();
    if (left.length > 0) process.stderr.write(`[engines] stopped nodes left running by tests: ${left.join(", ")}\n`);
  };
}
