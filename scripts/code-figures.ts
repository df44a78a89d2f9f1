// Figures about the library code for the code-health notes (issue 28): lines, explicit `any`, import cycles, long
// lines, validation styles and repeated code. Run `npx tsx scripts/code-figures.ts` (add `--json` for one JSON
// object) on two commits to get before and after figures measured the same way.
//
// "Library code" is what the package ships: index.ts, provider/, components/, automation/ and compat/, without
// tests. Import cycles are counted over static `import`/`export ... from` declarations (what runs when a module
// loads); imports inside functions (`await import(...)`, `require(...)`) are lazy and left out, as eslint's
// import-x/no-cycle does.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const LIBRARY = ["index.ts", "provider", "components", "automation", "compat"];
const LONG_LINE = 160;

function libraryFiles(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) walk(path.join(rel, name));
    } else if (rel.endsWith(".ts") && !rel.endsWith(".d.ts") && !rel.endsWith(".test.ts")) {
      out.push(rel);
    }
  };
  for (const entry of LIBRARY) walk(entry);
  return out;
}

interface Edge {
  to: string;
  typeOnly: boolean;
}

/** Static imports of one file that resolve to another library file. */
function importsOf(file: string, source: ts.SourceFile, known: Set<string>): Edge[] {
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    let target: string | undefined;
    if (specifier.startsWith(".")) target = path.join(path.dirname(file), specifier);
    else if (specifier === "pulumi-es-migrate") target = "index";
    else if (specifier.startsWith("pulumi-es-migrate/")) target = specifier.slice("pulumi-es-migrate/".length);
    if (target === undefined) return;
    target = target.replace(/\.js$/, "");
    for (const candidate of [`${target}.ts`, path.join(target, "index.ts")]) {
      if (known.has(candidate)) return void edges.push({ to: candidate, typeOnly });
    }
  };
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const clause = st.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(st.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      add(st.moduleSpecifier.text, st.isTypeOnly);
    }
  }
  return edges;
}

/** Strongly connected components with more than one file (Tarjan), each as a list of files. */
function cyclesOf(graph: Map<string, Edge[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const { to } of graph.get(v) ?? []) {
      if (!indices.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(v, Math.min(low.get(v)!, indices.get(to)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return components;
}

/** One closed path through a component, for the report: a -> b -> ... -> a. */
function cyclePath(component: string[], graph: Map<string, Edge[]>): { path: string[]; typeOnly: boolean } {
  const members = new Set(component);
  const start = component[0];
  // Breadth-first from the start back to itself, inside the component: the shortest cycle through it.
  const previous = new Map<string, { from: string; typeOnly: boolean }>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const e of graph.get(v) ?? []) {
      if (!members.has(e.to) || previous.has(e.to)) continue;
      previous.set(e.to, { from: v, typeOnly: e.typeOnly });
      if (e.to === start) queue.length = 0;
      else queue.push(e.to);
      if (e.to === start) break;
    }
  }
  const steps = [start];
  let typeOnly = true;
  let at = start;
  do {
    const p = previous.get(at)!;
    typeOnly &&= p.typeOnly;
    at = p.from;
    steps.unshift(at);
  } while (at !== start);
  return { path: steps, typeOnly };
}

const STYLES: Record<string, RegExp> = {
  "zod schema": /from "zod"/,
  "add(property, reason) accumulator": /\badd\s*=\s*\(\s*property\b|function add\(\s*property\b/,
  "{ property, reason } pushed by hand": /\.push\(\{\s*property\b/,
  "list of strings": /\b(problems|errors|issues|reasons|messages)\.push\(\s*[`"']/,
  "throw on first, caught into a list": /catch\s*\(\s*\w+\s*\)\s*\{[^{}]*\{\s*property\b/,
};

/** Type declarations whose members are exactly `property` and `reason`: the problem shape declared again. */
function problemTypeDeclarations(source: ts.SourceFile): number {
  let count = 0;
  const isProblemShape = (members: readonly ts.TypeElement[]) => {
    const names = members.map((m) => (m.name && ts.isIdentifier(m.name) ? m.name.text : "")).sort();
    return names.length === 2 && names[0] === "property" && names[1] === "reason";
  };
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node) && isProblemShape(node.members)) count++;
    else if (ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type) && isProblemShape(node.type.members))
      count++;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return count;
}

function duplicatePairs(): number | undefined {
  try {
    const out = execFileSync("duplicates", ["--most", "40"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const m = /^(\d+) pairs?\b/m.exec(out) ?? (/^no duplicates/m.test(out) ? ["", "0"] : null);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface ImportCycle {
  files: string[];
  path: string[];
  typeOnly: boolean;
}

/** The library's import cycles, type-only imports included (eslint's import-x/no-cycle leaves those out). */
export function importCycles(): ImportCycle[] {
  const files = libraryFiles();
  const known = new Set(files);
  const graph = new Map<string, Edge[]>();
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest);
    graph.set(file, importsOf(file, source, known));
  }
  return cyclesOf(graph).map((component) => ({ files: component, ...cyclePath(component, graph) }));
}

function main(): void {
  const files = libraryFiles();
  const known = new Set(files);
  const graph = new Map<string, Edge[]>();
  let lines = 0;
  let codeLines = 0;
  let anyCount = 0;
  const anyByFolder: Record<string, number> = {};
  const longLines: Record<string, number> = {};
  const styles: Record<string, string[]> = Object.fromEntries(Object.keys(STYLES).map((k) => [k, []]));
  let problemTypes = 0;

  for (const file of files) {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const fileLines = text.split("\n");
    if (fileLines.at(-1) === "") fileLines.pop();
    lines += fileLines.length;
    codeLines += fileLines.filter((l) => l.trim() !== "" && !/^\s*(\/\/|\/\*|\*)/.test(l)).length;
    const long = fileLines.filter((l) => l.length > LONG_LINE).length;
    if (long > 0) longLines[file] = long;

    const folder = file.includes("/") ? file.split("/").slice(0, 2).join("/") : file;
    const visit = (node: ts.Node) => {
      if (node.kind === ts.SyntaxKind.AnyKeyword) {
        anyCount++;
        anyByFolder[folder] = (anyByFolder[folder] ?? 0) + 1;
      }
      ts.forEachChild(node, visit);
    };
    visit(source);

    graph.set(file, importsOf(file, source, known));
    for (const [style, pattern] of Object.entries(STYLES)) if (pattern.test(text)) styles[style].push(file);
    problemTypes += problemTypeDeclarations(source);
  }

  const cycles: ImportCycle[] = cyclesOf(graph).map((component) => ({
    files: component,
    ...cyclePath(component, graph),
  }));
  const figures = {
    files: files.length,
    lines,
    codeLines,
    explicitAny: anyCount,
    explicitAnyByFolder: Object.fromEntries(Object.entries(anyByFolder).sort((a, b) => b[1] - a[1])),
    importCycles: cycles,
    linesOver160: Object.values(longLines).reduce((a, b) => a + b, 0),
    validationStyles: Object.fromEntries(Object.entries(styles).map(([k, v]) => [k, v.length])),
    validationStylesInUse: Object.values(styles).filter((v) => v.length > 0).length,
    problemTypeDeclarations: problemTypes,
    duplicatePairs: duplicatePairs(),
  };

  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(figures, null, 2));
    return;
  }
  console.log(
    `library code: ${figures.files} files, ${figures.lines} lines (${figures.codeLines} without blanks and comments)`,
  );
  console.log(
    `explicit any: ${figures.explicitAny} (${Object.entries(figures.explicitAnyByFolder)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")})`,
  );
  console.log(`import cycles: ${cycles.length}`);
  for (const c of cycles)
    console.log(
      `  ${c.path.join(" -> ")}${c.typeOnly ? " (type-only)" : ""}${c.files.length > c.path.length - 1 ? ` [${c.files.length} files]` : ""}`,
    );
  console.log(`lines over ${LONG_LINE} characters: ${figures.linesOver160}`);
  console.log(
    `validation styles in use: ${figures.validationStylesInUse} of ${Object.keys(STYLES).length} (files using each, heuristic)`,
  );
  for (const [k, v] of Object.entries(figures.validationStyles)) console.log(`  ${k}: ${v}`);
  console.log(`{ property, reason } type declared: ${figures.problemTypeDeclarations} times`);
  console.log(
    `duplicates --most 40: ${figures.duplicatePairs ?? "not measured (duplicates not on PATH)"} pairs (whole tree)`,
  );
}

if (require.main === module) main();
