// The package as users get it: packed with `npm pack` and installed with npm into a project of its own, from the
// working tree or from an earlier commit (for upgrade tests). Installs prefer the npm cache (the project's own
// install put the tarballs there); a clean machine's cache may lack some registry metadata, which is then fetched.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cacheDir, repoRoot } from "./cache";

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** `npm pack` of `dir` (its dist/ must be built) into `destination`; returns the tarball's path. */
function pack(dir: string, destination: string): string {
  const name = npm(["pack", "--ignore-scripts", "--pack-destination", destination], dir).trim().split("\n").pop()!;
  return path.join(destination, name);
}

/** The working tree's package (dist/ as the integration global setup built it), packed into `destination`. */
export function packWorkingTree(destination: string): string {
  return pack(repoRoot, destination);
}

/**
 * The package as commit `commit` published it: its tree (git archive), compiled with this repository's
 * node_modules, packed. Cached under <cache>/packages/<commit>.tgz (a commit never changes).
 */
export function packCommit(commit: string): string {
  const tarball = cacheDir("packages", `pulumi-es-migrate-${commit}.tgz`);
  if (fs.existsSync(tarball)) return tarball;
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-es-migrate-${commit}-`));
  try {
    execFileSync("bash", ["-c", `git -C "${repoRoot}" archive "${commit}" | tar -x -C "${tree}"`], { stdio: "pipe" });
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(tree, "node_modules"));
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
      cwd: tree,
      stdio: "pipe",
    });
    const packed = pack(tree, tree);
    fs.mkdirSync(path.dirname(tarball), { recursive: true });
    fs.copyFileSync(packed, `${tarball}.tmp`);
    fs.renameSync(`${tarball}.tmp`, tarball);
    return tarball;
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
}

/** A fresh project folder with a package.json, as `npm init` leaves it. */
export function emptyProject(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-es-migrate-${prefix}-`));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  return dir;
}

/** `npm install <specs>` in `dir`, as a user would (scripts off: nothing here needs them, and it is offline-friendly). */
export function npmInstall(dir: string, specs: string[]): void {
  npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", ...specs], dir);
}

/** Bytes on disk under `dir` (as `du` counts them: allocated blocks), symlinks not followed. */
export function diskUsage(dir: string): number {
  return Number(execFileSync("du", ["-sk", dir], { encoding: "utf8" }).split("\t")[0]) * 1024;
}

/** Every package under a node_modules folder (scoped and nested ones too): folder and parsed package.json. */
export function installedPackages(nodeModules: string): { dir: string; manifest: any }[] {
  const found: { dir: string; manifest: any }[] = [];
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const dir = path.join(folder, entry.name);
      if (entry.name.startsWith("@")) {
        visit(dir);
        continue;
      }
      const manifest = path.join(dir, "package.json");
      if (fs.existsSync(manifest)) found.push({ dir, manifest: JSON.parse(fs.readFileSync(manifest, "utf8")) });
      if (fs.existsSync(path.join(dir, "node_modules"))) visit(path.join(dir, "node_modules"));
    }
  };
  visit(nodeModules);
  return found;
}
