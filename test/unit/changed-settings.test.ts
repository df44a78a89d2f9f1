// A repair sets the destination index's `gc_deletes` to 0s for a while. The value to put back is recorded in the
// index's `_meta` before the change: a provider process killed before it puts the value back leaves the record, and
// the next run puts the setting back (and only then forgets the record), keeping every other `_meta` key.
import { describe, expect, it } from "vitest";
import type { Cluster, ClusterRequest } from "../../provider/connection/types";
import {
  changedSettingsOf,
  changeSettingsForAWhile,
  restoreChangedSettings,
} from "../../provider/reindex/changed-settings";

/** One index's settings and mapping, answered as the engines do (flat settings, a `_meta` update replacing all). */
function fakeIndex(settings: Record<string, unknown>, meta: Record<string, unknown>) {
  const index = {
    settings: { ...settings } as Record<string, unknown>,
    mappings: { properties: { n: { type: "long" } }, _meta: meta },
  };
  const cluster = {
    label: "destination http://fake:9200",
    request: async (req: ClusterRequest) => {
      if (req.method === "GET" && req.path.startsWith("/orders/_settings/")) {
        const keys = decodeURIComponent(req.path.slice("/orders/_settings/".length)).split(",");
        const asked = keys.filter((k) => k in index.settings).map((k) => [k, index.settings[k]]);
        return { orders: { settings: Object.fromEntries(asked) } };
      }
      if (req.method === "GET" && req.path === "/orders/_mapping") return { orders: { mappings: index.mappings } };
      if (req.method === "PUT" && req.path === "/orders/_mapping") {
        index.mappings._meta = (req.body as { _meta: Record<string, unknown> })._meta;
        return { acknowledged: true };
      }
      if (req.method === "PUT" && req.path === "/orders/_settings") {
        for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) {
          if (v === null) delete index.settings[k];
          else index.settings[k] = v;
        }
        return { acknowledged: true };
      }
      throw new Error(`unexpected ${req.method} ${req.path}`);
    },
  } as unknown as Cluster;
  return { index, cluster };
}

const origin = { createdAt: "2026-12-07T03:00:00.000Z", copyOf: "orders" };

describe("a setting a repair changes for a while", () => {
  it("is put back by the next run when the process that changed it was killed, the index's own _meta kept", async () => {
    const { index, cluster } = fakeIndex(
      { "index.gc_deletes": "120s" },
      { team: "search", "pulumi-es-migrate": origin },
    );
    await changeSettingsForAWhile(cluster, "orders", { "index.gc_deletes": "0s" });
    // Killed here: nothing puts it back in this process.
    expect(index.settings["index.gc_deletes"]).toBe("0s");
    expect(changedSettingsOf(index.mappings)).toEqual({ "index.gc_deletes": "120s" });

    expect(await restoreChangedSettings(cluster, "orders")).toEqual({ "index.gc_deletes": "120s" });
    expect(index.settings["index.gc_deletes"]).toBe("120s");
    expect(index.mappings._meta).toEqual({ team: "search", "pulumi-es-migrate": origin });
    // Nothing left to put back: the run after that changes nothing.
    expect(await restoreChangedSettings(cluster, "orders")).toBeUndefined();
  });

  it("keeps the value from before the first change when a second run is killed too", async () => {
    const { index, cluster } = fakeIndex({}, {});
    await changeSettingsForAWhile(cluster, "orders", { "index.gc_deletes": "0s" });
    // The next run's repair changes it again before anything put it back: the index says 0s now, the record knows better.
    await changeSettingsForAWhile(cluster, "orders", { "index.gc_deletes": "0s" });
    expect(changedSettingsOf(index.mappings)).toEqual({ "index.gc_deletes": null });
    await restoreChangedSettings(cluster, "orders");
    // Never set before: unset again (the engine's default), and our key gone from a _meta that had none.
    expect(index.settings).toEqual({});
    expect(index.mappings._meta).toEqual({});
  });
});
