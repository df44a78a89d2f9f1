// Which JDK runs (and compiles) a line's nodes: the default `java` for lines that run on 17, and for lines that need
// a newer Java (OpenSearch 3.x wants 21+) the first JDK found that is new enough: JAVA_HOME, then the JDKs installed
// under /usr/lib/jvm (this machine's kind has Temurin 25 beside the default OpenJDK 17).
import * as fs from "node:fs";
import * as path from "node:path";

/** Where installed JDKs live on Debian and in Temurin's packages. */
export const JVM_DIRS = ["/usr/lib/jvm"];

/** Major version of a JDK home, from its `release` file (`JAVA_VERSION="25.0.3"`, or `"1.8.0_x"` for 8). */
export function jdkMajor(home: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(home, "release"), "utf8");
  } catch {
    return undefined;
  }
  const m = /^JAVA_VERSION="(\d+)(?:\.(\d+))?/m.exec(text);
  if (!m) return undefined;
  return m[1] === "1" && m[2] !== undefined ? Number(m[2]) : Number(m[1]);
}

/**
 * The JDK home to use for a line needing Java `min` or newer: JAVA_HOME when it is new enough, else the newest JDK
 * under `dirs`. Pure apart from reading the folders; throws, naming what it found, when there is none.
 */
export function findJdk(min: number, env: NodeJS.ProcessEnv = process.env, dirs: string[] = JVM_DIRS): string {
  const seen: string[] = [];
  const javaHome = env.JAVA_HOME;
  if (javaHome) {
    const major = jdkMajor(javaHome);
    if (major !== undefined && major >= min && fs.existsSync(path.join(javaHome, "bin", "java"))) return javaHome;
    seen.push(`JAVA_HOME=${javaHome} (${major ?? "no release file"})`);
  }
  const candidates: { home: string; major: number }[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const home = path.join(dir, name);
      const major = jdkMajor(home);
      if (major === undefined || !fs.existsSync(path.join(home, "bin", "java"))) continue;
      seen.push(`${home} (${major})`);
      if (major >= min) candidates.push({ home, major });
    }
  }
  candidates.sort((a, b) => b.major - a.major);
  if (candidates.length > 0) return candidates[0].home;
  throw new Error(
    `no JDK ${min} or newer found (looked at ${seen.length ? seen.join(", ") : `JAVA_HOME and ${dirs.join(", ")}: nothing`}): ` +
      `install one (e.g. Temurin 21 or 25 under /usr/lib/jvm) or set JAVA_HOME to it`,
  );
}

/** JAVA_HOME for a line: undefined keeps the environment's own Java (the lines that run on 17). */
export function javaHomeFor(minJava: number | undefined): string | undefined {
  return minJava === undefined ? undefined : findJdk(minJava);
}

/** The `java` binary for a line. */
export function javaBin(minJava: number | undefined): string {
  const home = javaHomeFor(minJava) ?? process.env.JAVA_HOME;
  return home ? path.join(home, "bin", "java") : "java";
}
