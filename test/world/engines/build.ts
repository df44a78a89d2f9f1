// Compiles an engine line's launcher with Maven once per exact version and launcher fingerprint, and keeps its
// classpath in <cache>/engines/<engine>-<version>-<fingerprint>. A warm call reads two files and the fingerprint: it
// never starts Maven.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir } from "../cache";
import { javaHomeFor } from "./jdk";
import type { ResolvedEngine } from "./lines";

/** What `java -cp` needs to run a node. */
export interface BuiltEngine {
  /** Classpath: the launcher's classes (and log4j2.properties) first, then the engine's jars from the Maven cache. */
  classpath: string;
  /** Folder of this version's build (Maven log, classpath file). */
  dir: string;
}

const LAUNCHERS = __dirname;

// The fingerprint is part of the folder's name: a changed launcher builds beside the old one, so nodes and test runs
// of other checkouts that still use the old launcher are never pulled from under their feet.
export function buildDir(e: ResolvedEngine, print: string): string {
  return cacheDir("engines", `${e.engine}-${e.version}-${print.slice(0, 12)}`);
}

/**
 * Hash of what a build depends on: the line's launcher sources, `common/`, `log4j/` (under `launchers`), the version
 * and the Maven cache path. A changed pom, class or log config, or a moved cache, builds anew.
 */
export function fingerprint(e: ResolvedEngine, launchers = LAUNCHERS): string {
  const hash = createHash("sha256").update(`${e.version}\n${cacheDir("maven")}\n`);
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
      const p = path.join(dir, d.name);
      return d.isDirectory() ? (d.name === "target" ? [] : files(p)) : [p];
    });
  const sources = [e.line.dir, "common", "log4j"].flatMap((d) => files(path.join(launchers, d)));
  for (const file of sources.sort()) {
    hash.update(`${path.relative(launchers, file)}\n`).update(fs.readFileSync(file));
  }
  return hash.digest("hex");
}

function readBuilt(e: ResolvedEngine, print: string): BuiltEngine | undefined {
  const dir = buildDir(e, print);
  try {
    // Written last by a build that succeeded.
    if (fs.readFileSync(path.join(dir, "fingerprint"), "utf8") !== print) return undefined;
    const jars = fs.readFileSync(path.join(dir, "classpath.txt"), "utf8").trim();
    // A Maven cache wiped under us would otherwise surface as a ClassNotFoundException in the node's log.
    if (!fs.existsSync(jars.split(path.delimiter)[0])) return undefined;
    return { classpath: [path.join(dir, "build", "classes"), jars].join(path.delimiter), dir };
  } catch {
    return undefined;
  }
}

/**
 * Returns the classpath of a node of this engine version, building the launcher first on a cold cache
 * (Maven downloads the engine's jars into <cache>/maven and compiles; about 10-30 s with a fast network).
 * Concurrent callers, in this process or others, share one build.
 */
export async function buildEngine(e: ResolvedEngine): Promise<BuiltEngine> {
  const print = fingerprint(e);
  const warm = readBuilt(e, print);
  if (warm) return warm;
  const dir = buildDir(e, print);
  await withLock(`${dir}.lock`, async () => {
    if (readBuilt(e, print)) return;
    await runMaven(e, dir);
    fs.writeFileSync(path.join(dir, "fingerprint"), print);
  });
  const built = readBuilt(e, print);
  if (!built) throw new Error(`building ${e.engine} ${e.version} left no usable classpath in ${dir}`);
  return built;
}

async function runMaven(e: ResolvedEngine, dir: string): Promise<void> {
  fs.rmSync(path.join(dir, "build"), { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, "build.log");
  const out = fs.openSync(log, "w");
  const args = [
    "-B",
    `-Dmaven.repo.local=${cacheDir("maven")}`,
    "-f",
    path.join(LAUNCHERS, e.line.dir, "pom.xml"),
    `-Dengine.version=${e.version}`,
    `-Dengine.build.dir=${path.join(dir, "build")}`,
    "compile",
    "dependency:build-classpath",
    `-Dmdep.outputFile=${path.join(dir, "classpath.txt")}`,
  ];
  process.stderr.write(`[engines] building the ${e.engine} ${e.version} launcher with Maven (log: ${log})\n`);
  // A line that needs a newer Java than the default compiles with it too (`<release>` above the JDK's fails).
  const javaHome = javaHomeFor(e.line.minJava);
  const env = javaHome ? { ...process.env, JAVA_HOME: javaHome } : process.env;
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.env.MVN ?? "mvn", args, { stdio: ["ignore", out, out], env });
      child.on("error", reject);
      child.on("close", resolve);
    });
    if (code !== 0) {
      throw new Error(`Maven failed (exit ${code}) building ${e.engine} ${e.version}; log: ${log}\n${tail(log, 25)}`);
    }
  } finally {
    fs.closeSync(out);
  }
}

/** Last lines of a text file, for error messages. */
export function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// A lock folder holding its owner's pid: mkdir is atomic, and a lock whose owner died is taken over.
async function withLock(lock: string, fn: () => Promise<void>): Promise<void> {
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number(fs.readFileSync(path.join(lock, "pid"), { encoding: "utf8", flag: "a+" }) || 0);
      if (owner && !alive(owner)) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (held by pid ${owner})`);
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
