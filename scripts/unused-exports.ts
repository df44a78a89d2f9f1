// Exports of the library that nothing imports: a name exported from a module under provider/, components/ or
// automation/ that no other file (library, tests, examples, bench, scripts) imports or re-exports. Such an export is
// dead API surface, or a helper that should be module-private. The package's entry points (package.json `exports`)
// and compat/ (the 0.1.0 paths old state resolves) are public by definition and exempt. `npm run lint` fails on an
// unused export that is not in scripts/unused-exports.baseline (the ones found when the check came, to be removed
// over time: delete a line once its export is gone or used); `npx tsx scripts/unused-exports.ts` lists them all.
//
// Imports are read from the syntax (no type checker): `import { a } from "./m"`, `export { a } from "./m"`, and
// `import type`; a namespace import, `export * from`, `import("./m")` or `require("./m")` counts every export of the
// module as used.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const LIBRARY = ["provider", "components", "automation"];
const READERS = ["index.ts", "provider", "components", "automation", "compat", "test", "examples", "bench", "scripts"];

/** The package's entry points (package.json `exports`, as sources): their exports are the public API. */
function entryPoints(): Set<string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    exports: Record<string, string | { default: string }>;
  };
  const out = new Set<string>();
  for (const target of Object.values(pkg.exports)) {
    const js = typeof target === "string" ? target : target.default;
    const m = /^\.\/dist\/(.+)\.js$/.exec(js);
    if (m) out.add(`${m[1]}.ts`);
  }
  return out;
}

function sourceFiles(entries: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs) || rel.split(path.sep).some((p) => p === "node_modules" || p === "results")) return;
    if (fs.statSync(abs).isDirectory()) for (const name of fs.readdirSync(abs).sort()) walk(path.join(rel, name));
    else if (/\.m?ts$/.test(rel) && !rel.endsWith(".d.ts")) out.push(rel);
  };
  for (const e of entries) walk(e);
  return out;
}

/** The file a specifier names, if it is one of ours. */
function resolve(from: string, specifier: string, known: Set<string>): string | undefined {
  let target: string;
  if (specifier.startsWith(".")) target = path.join(path.dirname(from), specifier);
  else if (specifier === "pulumi-es-migrate") target = "index";
  else if (specifier.startsWith("pulumi-es-migrate/")) target = specifier.slice("pulumi-es-migrate/".length);
  else return undefined;
  target = target.replace(/\.js$/, "");
  return [`${target}.ts`, path.join(target, "index.ts")].find((c) => known.has(c));
}

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The names a module exports by declaration or `export { a }` (re-exports from another module are that one's). */
function exportsOf(source: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const st of source.statements) {
    if (ts.isExportDeclaration(st)) {
      if (st.moduleSpecifier === undefined && st.exportClause && ts.isNamedExports(st.exportClause))
        names.push(...st.exportClause.elements.map((e) => e.name.text));
    } else if (!isExported(st)) continue;
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if (
      ts.isFunctionDeclaration(st) ||
      ts.isClassDeclaration(st) ||
      ts.isInterfaceDeclaration(st) ||
      ts.isTypeAliasDeclaration(st) ||
      ts.isEnumDeclaration(st)
    ) {
      if (st.name !== undefined) names.push(st.name.text);
    }
  }
  return [...new Set(names)];
}

/** `file -> names other files import from it`; "*" when some file takes all of it. */
function importedNames(files: string[], known: Set<string>): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  const use = (target: string | undefined, name: string) => {
    if (target === undefined) return;
    if (!used.has(target)) used.set(target, new Set());
    used.get(target)!.add(name);
  };
  for (const file of files) {
    const source = ts.createSourceFile(
      file,
      fs.readFileSync(path.join(ROOT, file), "utf8"),
      ts.ScriptTarget.Latest,
      true,
    );
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const target = resolve(file, node.moduleSpecifier.text, known);
        const bindings = node.importClause?.namedBindings;
        if (node.importClause?.name !== undefined) use(target, "default");
        if (bindings && ts.isNamespaceImport(bindings)) use(target, "*");
        else if (bindings) for (const e of bindings.elements) use(target, (e.propertyName ?? e.name).text);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const target = resolve(file, node.moduleSpecifier.text, known);
        if (node.exportClause === undefined || !ts.isNamedExports(node.exportClause)) use(target, "*");
        else for (const e of node.exportClause.elements) use(target, (e.propertyName ?? e.name).text);
      } else if (
        ts.isCallExpression(node) &&
        (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
          (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
        node.arguments.length > 0 &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        use(resolve(file, node.arguments[0].text, known), "*");
      } else if (
        ts.isImportTypeNode(node) &&
        ts.isLiteralTypeNode(node.argument) &&
        ts.isStringLiteral(node.argument.literal)
      ) {
        use(resolve(file, node.argument.literal.text, known), "*");
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return used;
}

export interface UnusedExport {
  file: string;
  name: string;
}

/** The library's exports no other file imports, entry points and compat/ left out. */
export function unusedExports(): UnusedExport[] {
  const files = sourceFiles(READERS);
  const known = new Set(files);
  const used = importedNames(files, known);
  const entries = entryPoints();
  const out: UnusedExport[] = [];
  for (const file of sourceFiles(LIBRARY)) {
    if (entries.has(file) || file.endsWith(".test.ts")) continue;
    const taken = used.get(file) ?? new Set();
    if (taken.has("*")) continue;
    const source = ts.createSourceFile(
      file,
      fs.readFileSync(path.join(ROOT, file), "utf8"),
      ts.ScriptTarget.Latest,
      true,
    );
    for (const name of exportsOf(source)) if (!taken.has(name)) out.push({ file, name });
  }
  return out;
}

const BASELINE = path.join(__dirname, "unused-exports.baseline");
const key = (u: UnusedExport) => `${u.file}: ${u.name}`;

/** The unused exports known when the check came (one `file: name` a line). */
export function baseline(): Set<string> {
  if (!fs.existsSync(BASELINE)) return new Set();
  return new Set(
    fs
      .readFileSync(BASELINE, "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#")),
  );
}

/** Unused exports not in the baseline (new ones), and baseline lines no longer unused (to delete). */
export function unusedExportsAgainstBaseline(): { fresh: string[]; stale: string[]; known: number } {
  const now = unusedExports().map(key);
  const old = baseline();
  return {
    fresh: now.filter((k) => !old.has(k)),
    stale: [...old].filter((k) => !now.includes(k)),
    known: now.filter((k) => old.has(k)).length,
  };
}

if (require.main === module && process.argv.includes("--write-baseline")) {
  const lines = unusedExports().map(key);
  fs.writeFileSync(
    BASELINE,
    `# Unused exports found when scripts/unused-exports.ts came; remove a line once its export is gone.\n${lines.join("\n")}\n`,
  );
  console.log(`wrote ${lines.length} lines to ${path.relative(ROOT, BASELINE)}`);
} else if (require.main === module) {
  const unused = unusedExports();
  for (const u of unused) console.log(`${u.file}: ${u.name}`);
  console.log(`unused exports: ${unused.length}`);
}
