import { describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../provider/connection/types";
import { snapshotRestoreProblem, versionFromId, type EngineVersion } from "../../provider/shared/versions";
import { restoreRefusal } from "../../provider/snapshot/rules";

const es = (version: string): ClusterInfo => ({
  flavor: "elasticsearch",
  version,
  major: Number(version.split(".")[0]),
  minor: Number(version.split(".")[1]),
});
const os = (version: string): ClusterInfo => ({ ...es(version), flavor: "opensearch" });
const v = (c: ClusterInfo): EngineVersion => ({ flavor: c.flavor, major: c.major, minor: c.minor });

// OpenSearch ids carry the 0x08000000 mask: 2190099 ^ mask, 1032099 ^ mask, 3090099 ^ mask.
const MASK = 0x08000000;

describe("index.version.created ids", () => {
  it.each([
    [7100299, { flavor: "elasticsearch", major: 7, minor: 10 }],
    [6082399, { flavor: "elasticsearch", major: 6, minor: 8 }],
    ["7100299", { flavor: "elasticsearch", major: 7, minor: 10 }],
    [2190099 ^ MASK, { flavor: "opensearch", major: 2, minor: 19 }],
    [1032099 ^ MASK, { flavor: "opensearch", major: 1, minor: 3 }],
    [3090099 ^ MASK, { flavor: "opensearch", major: 3, minor: 9 }],
    // As the nodes report them (index.version.created of an index each created).
    [136408427, { flavor: "opensearch", major: 2, minor: 19 }],
    [135249827, { flavor: "opensearch", major: 1, minor: 3 }],
    [137307827, { flavor: "opensearch", major: 3, minor: 9 }],
  ])("%s is %o", (id, expected) => expect(versionFromId(id)).toEqual(expected));

  it.each([[0], [-1], ["x"], [1.5]])("%s is no version id", (id) => expect(versionFromId(id)).toBeUndefined());
});

describe("the matrix measured on the test world's nodes (docs/snapshot.md)", () => {
  const lines = { es6: es("6.8.23"), es7: es("7.10.2"), os1: os("1.3.20"), os2: os("2.19.6"), os3: os("3.9.0") };
  // [created by (and snapshotted on), restored into, measured]
  const measured: [keyof typeof lines, keyof typeof lines, boolean][] = [
    ["es6", "es7", true],
    ["es6", "os1", true],
    ["es6", "os2", false],
    ["es6", "os3", false],
    ["es7", "es6", false],
    ["es7", "os1", true],
    ["es7", "os2", true],
    ["es7", "os3", false],
    ["os1", "es6", false],
    ["os1", "es7", false],
    ["os1", "os2", true],
    ["os1", "os3", false],
    ["os2", "es6", false],
    ["os2", "es7", false],
    ["os2", "os1", false],
    ["os2", "os3", true],
    ["os3", "es6", false],
    ["os3", "es7", false],
    ["os3", "os1", false],
    ["os3", "os2", false],
  ];
  it.each(measured)("%s -> %s restores: %s", (from, to, restored) => {
    const v = (c: ClusterInfo): EngineVersion => ({ flavor: c.flavor, major: c.major, minor: c.minor });
    expect(snapshotRestoreProblem(v(lines[from]), v(lines[from]), v(lines[to])) === undefined).toBe(restored);
  });
});

describe("which snapshots a destination restores", () => {
  it.each([
    // [index created by, source cluster, destination, problem]
    [es("7.10.2"), es("7.10.2"), os("2.19.1"), undefined],
    [es("7.10.2"), es("7.10.2"), os("1.3.20"), undefined],
    [es("7.10.2"), es("7.10.2"), es("7.10.2"), undefined],
    [es("6.8.23"), es("6.8.23"), os("2.19.1"), "created"],
    [es("6.8.23"), es("6.8.23"), os("3.9.0"), "created"],
    [es("6.8.23"), es("6.8.23"), os("1.3.20"), undefined],
    [es("6.8.23"), es("6.8.23"), es("7.10.2"), undefined],
    // An index created by 6.x stays a 6.x index in a cluster upgraded to 7.x.
    [es("6.8.23"), es("7.10.2"), os("2.19.1"), "created"],
    [es("7.10.2"), es("7.10.2"), os("3.9.0"), "created"],
    [os("1.3.20"), os("1.3.20"), os("3.9.0"), "created"],
    [os("2.19.1"), os("2.19.1"), os("3.9.0"), undefined],
    [os("2.0.0"), os("2.19.1"), os("3.9.0"), undefined],
    [os("1.3.20"), os("1.3.20"), os("2.19.1"), undefined],
    [es("5.6.16"), es("6.8.23"), es("7.10.2"), "created"],
    [es("7.10.2"), es("7.10.2"), es("8.11.0"), undefined],
    [es("6.8.23"), es("7.10.2"), es("8.11.0"), "created"],
    // A newer source than the destination: no.
    [os("2.19.1"), os("2.19.1"), os("1.3.20"), "newer"],
    [es("7.10.2"), es("7.10.2"), es("6.8.23"), "newer"],
    [os("1.3.20"), os("1.3.20"), es("7.10.2"), "newer"],
    // Elasticsearch 8+ and OpenSearch: no path either way.
    [es("8.11.0"), es("8.11.0"), os("2.19.1"), "diverged"],
    [os("2.19.1"), os("2.19.1"), es("8.11.0"), "diverged"],
  ])("created by %o, source %o, destination %o: %s", (created, src, dest, expected) => {
    expect(snapshotRestoreProblem(v(created), v(src), v(dest))).toBe(expected);
  });
});

describe("refusals name the versions and the way out", () => {
  it("an index created by 6.8 is refused by OpenSearch 2.19, reindex named as the way out", () => {
    const reason = restoreRefusal("logs", "6082399", es("7.10.2"), os("2.19.1"));
    expect(reason).toContain(
      "logs was created by Elasticsearch 6.8 (index.version.created at the source; the cluster runs Elasticsearch 7.10.2)",
    );
    expect(reason).toContain("OpenSearch 2.19.1 restores only indices created by Elasticsearch 7.0 or newer");
    expect(reason).toContain('method: "reindex"');
  });

  it("OpenSearch 3 refuses indices created before OpenSearch 2.0", () => {
    expect(restoreRefusal("logs", 7100299, es("7.10.2"), os("3.9.0"))).toContain(
      "OpenSearch 3.9.0 restores only indices created by OpenSearch 2.0 or newer",
    );
  });

  it("a newer source than the destination is refused", () => {
    expect(restoreRefusal("logs", undefined, os("2.19.1"), os("1.3.20"))).toMatch(
      /source runs OpenSearch 2.19.1, newer than the destination's OpenSearch 1.3.20/,
    );
  });

  it("Elasticsearch 7.10 into OpenSearch 2.19 is allowed", () => {
    expect(restoreRefusal("logs", 7100299, es("7.10.2"), os("2.19.1"))).toBeUndefined();
  });
});
