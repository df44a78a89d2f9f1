// The test world's engine lines as data: which exact version a spec stands for, which allow-list name a node is
// started with, which JDK runs a line that needs Java 21+, which lines have data streams, and where a launcher's build
// is cached. Pure (temporary folders stand in for /usr/lib/jvm and the launchers).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildDir, fingerprint } from "../world/engines/build";
import { findJdk, jdkMajor } from "../world/engines/jdk";
import { ENGINE_LINES, nodeSettings, resolveEngine } from "../world/engines/lines";
import { sourceFeatures } from "../world/realistic-source";

describe("engine specs", () => {
  it.each([
    ["opensearch", "3.x", "3.9.0"],
    ["opensearch", "3.9.x", "3.9.0"],
    ["opensearch", "1.3.x", "1.3.20"],
    ["opensearch", "1.x", "1.3.20"],
    ["opensearch", "2.19.x", "2.19.6"],
    ["elasticsearch", "6.x", "6.8.23"],
  ])("%s@%s runs %s", (engine, spec, version) => expect(resolveEngine(engine, spec).version).toBe(version));

  it("refuses a minor no line pins, naming the verified versions", () => {
    expect(() => resolveEngine("opensearch", "3.2.x")).toThrow(
      /no pinned patch for 3.2; give an exact version \(verified: 3.9.0\)/,
    );
  });
});

describe("allow-list setting a node is started with", () => {
  const settingsOf = (engine: string, spec: string) =>
    nodeSettings({
      line: resolveEngine(engine, spec).line,
      name: "n",
      home: "/h",
      logsDir: "/l",
      httpPort: 1,
      transportPort: 2,
      allow: ["127.0.0.1:9201", "127.0.0.1:9202"],
    });
  it.each([
    // 3.0 removed the old name: a node given it does not start ("unknown setting [reindex.remote.whitelist]").
    ["opensearch", "3.x", "reindex.remote.allowlist"],
    ["opensearch", "2.19.x", "reindex.remote.allowlist"],
    // 1.3.20 does not know the new name yet ("unknown setting [reindex.remote.allowlist]").
    ["opensearch", "1.3.x", "reindex.remote.whitelist"],
    ["elasticsearch", "7.10.x", "reindex.remote.whitelist"],
  ])("%s@%s: %s", (engine, spec, key) => {
    const s = settingsOf(engine, spec);
    expect(s[key]).toBe("127.0.0.1:9201,127.0.0.1:9202");
    expect(Object.keys(s).filter((k) => k.startsWith("reindex.remote."))).toEqual([key]);
  });
});

describe("the JDK of a line that needs Java 21+", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "jdks-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  function jdk(dir: string, name: string, version: string): string {
    const home = path.join(root, dir, name);
    fs.mkdirSync(path.join(home, "bin"), { recursive: true });
    fs.writeFileSync(path.join(home, "bin", "java"), "");
    fs.writeFileSync(path.join(home, "release"), `IMPLEMENTOR="x"\nJAVA_VERSION="${version}"\n`);
    return home;
  }
  const j17 = jdk("jvm", "java-17-openjdk-amd64", "17.0.15");
  const j25 = jdk("jvm", "temurin-25-jdk-amd64", "25.0.3");
  const j21 = jdk("jvm", "temurin-21-jdk-amd64", "21.0.8");
  jdk("old", "jdk8", "1.8.0_412");

  it("reads the major version from the release file", () => {
    expect(jdkMajor(j25)).toBe(25);
    expect(jdkMajor(path.join(root, "old", "jdk8"))).toBe(8);
    expect(jdkMajor(path.join(root, "nothing"))).toBeUndefined();
  });
  it("takes JAVA_HOME when it is new enough", () => {
    expect(findJdk(21, { JAVA_HOME: j21 }, [path.join(root, "jvm")])).toBe(j21);
  });
  it("looks past an older JAVA_HOME for the newest JDK installed", () => {
    expect(findJdk(21, { JAVA_HOME: j17 }, [path.join(root, "jvm")])).toBe(j25);
    expect(findJdk(21, {}, [path.join(root, "jvm")])).toBe(j25);
  });
  it("says what it found and how to fix it when no JDK is new enough", () => {
    expect(() => findJdk(21, { JAVA_HOME: j17 }, [path.join(root, "old")])).toThrow(
      /no JDK 21 or newer found \(looked at JAVA_HOME=.*java-17-openjdk-amd64 \(17\), .*jdk8 \(8\)\): install one .* or set JAVA_HOME to it/,
    );
  });
});

describe("data streams", () => {
  it("OpenSearch lines have them (core since 1.0), Elasticsearch lines do not (x-pack is not on Maven Central)", () => {
    const withStreams = ENGINE_LINES.filter((l) => l.dataStreams).map((l) => `${l.engine}-${l.major}`);
    expect(withStreams.sort()).toEqual(["opensearch-1", "opensearch-2", "opensearch-3"]);
  });
});

describe("the build folder of a launcher", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "launchers-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const e = resolveEngine("opensearch", "2.19.x");
  for (const dir of [e.line.dir, "common", "log4j"]) fs.mkdirSync(path.join(root, dir), { recursive: true });
  fs.writeFileSync(path.join(root, e.line.dir, "pom.xml"), "<project>reindex</project>");
  fs.writeFileSync(path.join(root, "common", "Launch.java"), "class Launch {}");

  it("is named by the version and the launcher's fingerprint", () => {
    expect(path.basename(buildDir(e, fingerprint(e, root)))).toMatch(/^opensearch-2\.19\.6-[0-9a-f]{12}$/);
  });
  it("moves when the launcher changes, so a running node's build is never rebuilt in place", () => {
    const before = buildDir(e, fingerprint(e, root));
    fs.writeFileSync(path.join(root, e.line.dir, "pom.xml"), "<project>reindex, ingest-common</project>");
    expect(buildDir(e, fingerprint(e, root))).not.toBe(before);
    // Folders the build does not read (Maven's own target/) do not count.
    const now = fingerprint(e, root);
    fs.mkdirSync(path.join(root, e.line.dir, "target"));
    fs.writeFileSync(path.join(root, e.line.dir, "target", "x.class"), "x");
    expect(fingerprint(e, root)).toBe(now);
  });
});

describe("what the realistic source seeds on each engine version", () => {
  const on = (distribution: "opensearch" | "elasticsearch", version: string) =>
    sourceFeatures({ distribution, version, major: Number(version.split(".")[0]) });
  it.each([
    // version, composable templates, final pipeline, hidden aliases, data streams, 6.x mapping type
    ["elasticsearch", "6.8.23", false, false, false, false, true],
    ["elasticsearch", "7.5.2", false, true, false, false, false],
    ["elasticsearch", "7.7.1", false, true, true, false, false],
    ["elasticsearch", "7.10.2", true, true, true, false, false],
    ["opensearch", "1.3.20", true, true, true, true, false],
    ["opensearch", "3.9.0", true, true, true, true, false],
  ] as const)(
    "%s %s",
    (distribution, version, composableTemplates, finalPipeline, hiddenAliases, dataStreams, mappingType) => {
      expect(on(distribution, version)).toEqual({
        composableTemplates,
        finalPipeline,
        hiddenAliases,
        dataStreams,
        mappingType,
      });
    },
  );
});
