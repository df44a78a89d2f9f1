// `npm run lint`: eslint (any error fails; warnings are counted by rule, `--warnings` lists them), no import cycle in
// the library (type-only ones included), `prettier --check` (`npm run format` rewrites the files it names), and the
// reference pages docs/reference/*.md as the schemas give them (`npm run reference` writes them), and no export that
// nothing imports.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { ESLint } from "eslint";
import { importCycles } from "./code-figures";
import { referenceDrift } from "./reference";
import { unusedExportsAgainstBaseline } from "./unused-exports";

const ROOT = path.resolve(__dirname, "..");

async function eslintPasses(listWarnings: boolean): Promise<boolean> {
  const eslint = new ESLint({ cwd: ROOT });
  const results = await eslint.lintFiles(["."]);
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  const shown = listWarnings ? results : ESLint.getErrorResults(results);
  const formatter = await eslint.loadFormatter("stylish");
  const text = await formatter.format(shown);
  if (text.trim() !== "") console.log(text);

  const byRule = new Map<string, number>();
  for (const r of results) {
    for (const m of r.messages)
      if (m.severity === 1) byRule.set(m.ruleId ?? "(none)", (byRule.get(m.ruleId ?? "(none)") ?? 0) + 1);
  }
  const perRule = [...byRule].sort((a, b) => b[1] - a[1]).map(([rule, n]) => `${rule} ${n}`);
  console.log(
    `eslint: ${results.length} files, ${errors} errors, ${warnings} warnings${perRule.length > 0 ? ` (${perRule.join(", ")})` : ""}`,
  );
  return errors === 0;
}

/** eslint's no-cycle skips type-only imports; a cycle of types still ties two modules' layouts together. */
function noImportCycles(): boolean {
  const cycles = importCycles();
  for (const c of cycles) console.log(`import cycle${c.typeOnly ? " (type-only)" : ""}: ${c.path.join(" -> ")}`);
  console.log(`import cycles (type-only imports included): ${cycles.length}`);
  return cycles.length === 0;
}

function prettierPasses(): boolean {
  const prettier = path.join(ROOT, "node_modules", ".bin", "prettier");
  const run = spawnSync(prettier, ["--check", "--log-level", "warn", "."], { cwd: ROOT, stdio: "inherit" });
  const ok = run.status === 0;
  console.log(ok ? "prettier: every file is formatted" : "prettier: the files above need `npm run format`");
  return ok;
}

/** A default or description changed in a schema and not in the checked-in reference (or the other way round). */
function referenceCurrent(): boolean {
  const stale = referenceDrift();
  for (const file of stale) console.log(`reference: ${file} differs from what the schemas give`);
  console.log(
    stale.length === 0 ? "reference: docs/reference matches the schemas" : "reference: run `npm run reference`",
  );
  return stale.length === 0;
}

/** Exports nothing imports (./unused-exports): dead surface, or a helper that should stay inside its module. */
function noNewUnusedExports(): boolean {
  const { fresh, stale, known } = unusedExportsAgainstBaseline();
  for (const k of fresh) console.log(`unused export: ${k} (drop the \`export\`, or the code)`);
  for (const k of stale) console.log(`unused exports: "${k}" is used or gone now: delete its line from the baseline`);
  console.log(`unused exports: ${fresh.length} new, ${known} known (scripts/unused-exports.baseline)`);
  return fresh.length === 0;
}

async function main(): Promise<void> {
  const lintOk = await eslintPasses(process.argv.includes("--warnings"));
  const acyclic = noImportCycles();
  const formatOk = prettierPasses();
  const referenceOk = referenceCurrent();
  const exportsOk = noNewUnusedExports();
  process.exitCode = lintOk && acyclic && formatOk && referenceOk && exportsOk ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
