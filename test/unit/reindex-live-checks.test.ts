// The checks `pulumi preview` runs against the clusters themselves (versions, the destination's allow list), with
// canned answers in place of the clusters: what a user sees when the list is hidden, visible, or lacks the host.
import { describe, expect, it } from "vitest";
import type { Cluster, ClusterConnection, ClusterRequest } from "../../provider/connection/types";
import { liveCheckFailures } from "../../provider/reindex/live-checks";
import { validateInputs } from "../../provider/reindex/validate";

const SOURCE = "http://10.0.0.5:9200";

/** A cluster that answers `GET /` and `GET /_nodes/settings` from fixed bodies. */
function fakeCluster(label: string, root: unknown, nodeSettings?: unknown): Cluster {
  return {
    label,
    info: async () => {
      throw new Error("not used");
    },
    async request<T>(req: ClusterRequest): Promise<T> {
      if (req.path === "/") return root as T;
      if (req.path === "/_nodes/settings") {
        if (nodeSettings === undefined) throw new Error("403 Forbidden");
        return nodeSettings as T;
      }
      throw new Error(`unexpected ${req.method} ${req.path}`);
    },
    close: async () => undefined,
  };
}

const version = (number: string, distribution?: string) => ({
  version: { number, ...(distribution ? { distribution } : {}) },
});

async function check(dest: { url?: string; root: unknown; nodeSettings?: unknown }, sourceRoot = version("7.10.2")) {
  const { inputs, failures } = validateInputs({
    cluster: { url: dest.url ?? "http://127.0.0.1:9200" },
    destIndex: "logs",
    source: { index: "logs", remote: { host: SOURCE } },
  });
  expect(failures).toEqual([]);
  const warnings: string[] = [];
  const open = (_conn: ClusterConnection, role: string) =>
    role === "destination"
      ? fakeCluster("destination", dest.root, dest.nodeSettings)
      : fakeCluster("source", sourceRoot);
  const found = await liveCheckFailures(inputs, open, (m) => warnings.push(m));
  return { failures: found, warnings };
}

const node = (settings: Record<string, unknown>) => ({ nodes: { abc: { name: "node-1", settings } } });

describe("the allow-list check at preview", () => {
  it("warns and goes on when the destination shows no reindex.remote setting (a managed service hides it)", async () => {
    const { failures, warnings } = await check({
      root: version("7.10.2"),
      nodeSettings: node({ "node.name": "node-1" }),
    });
    expect(failures).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      "the destination shows no reindex.remote.whitelist in its node settings (managed services such as Alibaba Cloud hide it",
    );
    expect(warnings[0]).toContain('make sure "10.0.0.5:9200" is in reindex.remote.whitelist');
  });

  it("names the setting the destination reads in the warning: allowlist on OpenSearch 3", async () => {
    const { warnings } = await check({ root: version("3.9.0", "opensearch"), nodeSettings: node({}) });
    expect(warnings[0]).toContain("shows no reindex.remote.allowlist");
    expect(warnings[0]).not.toContain("reindex.remote.whitelist in");
  });

  it("refuses when the list is visible and lacks the host, naming the node, the entry and the setting", async () => {
    const { failures, warnings } = await check({
      root: version("3.9.0", "opensearch"),
      nodeSettings: node({ "reindex.remote.allowlist": "10.0.0.6:9200" }),
    });
    expect(warnings).toEqual([]);
    expect(failures).toEqual([
      {
        property: "source.remote.host",
        reason: expect.stringContaining(
          '10.0.0.5:9200 is not in reindex.remote.allowlist of the destination node(s) node-1 (10.0.0.6:9200): add "10.0.0.5:9200"',
        ),
      },
    ]);
  });

  it("passes quietly when the visible list has the host", async () => {
    expect(
      await check(
        { root: version("1.3.20", "opensearch"), nodeSettings: node({ "reindex.remote.whitelist": "10.0.0.*:9200" }) },
        version("1.3.20", "opensearch"),
      ),
    ).toEqual({
      failures: [],
      warnings: [],
    });
  });

  it("says nothing about the list when the node settings cannot be read at all", async () => {
    expect(await check({ root: version("7.10.2") })).toEqual({ failures: [], warnings: [] });
  });

  it("does not warn about a list Amazon OpenSearch Service has no place for", async () => {
    const { warnings } = await check({
      url: "https://search-logs-abc.eu-west-1.es.amazonaws.com:443",
      root: version("7.10.2"),
      nodeSettings: node({}),
    });
    expect(warnings).toEqual([]);
  });
});

describe("the version check at preview", () => {
  it("lets a 5.x / 6.3 destination off Amazon OpenSearch Service run a remote reindex", async () => {
    expect(
      (
        await check(
          { root: version("6.3.2"), nodeSettings: node({ "reindex.remote.whitelist": "10.0.0.5:9200" }) },
          version("5.6.16"),
        )
      ).failures,
    ).toEqual([]);
  });

  it("holds an Amazon OpenSearch Service destination to 6.7", async () => {
    const { failures } = await check(
      { url: "https://search-logs-abc.eu-west-1.es.amazonaws.com:443", root: version("6.5.4"), nodeSettings: node({}) },
      version("6.5.4"),
    );
    expect(failures).toEqual([
      { property: "cluster", reason: expect.stringMatching(/Amazon OpenSearch Service needs 6.7 or newer/) },
    ]);
  });
});
