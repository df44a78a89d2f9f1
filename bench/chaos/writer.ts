// What the chaos suite and the killed-up test migrate, and the application writing at the source meanwhile: creates,
// updates (a newer `ts`, so the incremental window takes them) and a few deletes, round-robin over the indices.
import { esJson } from "../../test/world/fixtures";

const MAPPING = {
  settings: { number_of_shards: 1, number_of_replicas: 0 },
  mappings: { properties: { n: { type: "long" }, ts: { type: "date" } } },
};
const HOUR = 3_600_000;

/**
 * The Pulumi program: a ClusterMigration of every index, incremental on `ts` with two partitions, ids verified, deletes
 * reconciled, the copy throttled to `requestsPerSecond` per task. Config: `src`, `dest`, and `srcRemote` when the
 * destination reaches the source elsewhere than the providers do.
 */
export function migrationProgram(requestsPerSecond: number): string {
  return `
const pulumi = require("@pulumi/pulumi");
const { ClusterMigration } = require("pulumi-es-migrate/components/migration");
const cfg = new pulumi.Config();
const srcRemote = cfg.get("srcRemote");
new ClusterMigration("cm", {
  source: { url: cfg.require("src") },
  ...(srcRemote ? { sourceRemote: { host: srcRemote } } : {}),
  destination: { url: cfg.require("dest") },
  defaults: {
    mode: { type: "incremental", field: "ts" },
    partitions: { field: "ts", count: 2 },
    verify: "ids",
    deletes: "reconcile",
    requestsPerSecond: ${requestsPerSecond},
    deletionProtection: false,
  },
});
`;
}

/** Creates each index with `count` documents `<index>-<n>`, dated a day back, one a second. */
export async function seedIndices(url: string, indices: string[], count: number): Promise<void> {
  for (const index of indices) await esJson(url, "PUT", `/${index}`, MAPPING);
  await addDocuments(url, indices, count, (index) => index, Date.now() - 24 * HOUR);
}

/**
 * Adds `count` documents `<prefix>-<n>` to each index, dated from `since` on, `step` ms apart, and refreshes the
 * indices: a seed, or a batch the application loads at once (the next copy has that many more to do).
 */
export async function addDocuments(
  url: string,
  indices: string[],
  count: number,
  prefix: (index: string) => string,
  since: number,
  step = 1000,
): Promise<void> {
  for (const index of indices) {
    const lines: string[] = [];
    for (let n = 0; n < count; n++)
      lines.push(
        JSON.stringify({ index: { _index: index, _id: `${prefix(index)}-${n}` } }),
        JSON.stringify({ n, ts: new Date(since + n * step).toISOString() }),
      );
    await esJson(url, "POST", "/_bulk", `${lines.join("\n")}\n`);
    await esJson(url, "POST", `/${index}/_refresh`);
  }
}

export interface WriterCounts {
  created: number;
  updated: number;
  deleted: number;
}

/**
 * Writes until stopped: per round 3 new documents and 1 update of a seeded one (of `seeded` per index), and every
 * tenth round a delete. `stop()` waits for the round in flight and refreshes the indices.
 */
export function startWriter(url: string, indices: string[], seeded = 2000): { stop(): Promise<WriterCounts> } {
  let running = true;
  const counts: WriterCounts = { created: 0, updated: 0, deleted: 0 };
  const prefix = `w${Date.now().toString(36)}`;
  const done = (async () => {
    for (let round = 0; running; round++) {
      const index = indices[round % indices.length];
      const now = new Date().toISOString();
      const lines: string[] = [];
      for (let i = 0; i < 3; i++)
        lines.push(
          JSON.stringify({ index: { _index: index, _id: `${prefix}-${round}-${i}` } }),
          JSON.stringify({ n: round, ts: now }),
        );
      lines.push(
        JSON.stringify({ index: { _index: index, _id: `${index}-${(round * 7) % seeded}` } }),
        JSON.stringify({ n: -round, ts: now }),
      );
      const deletes = round % 10 === 5;
      if (deletes)
        lines.push(JSON.stringify({ delete: { _index: index, _id: `${index}-${(round * 13 + 1) % seeded}` } }));
      // An application retries a batch its cluster did not take (the source restarting): ids make it idempotent.
      while (
        !(await esJson(url, "POST", "/_bulk", `${lines.join("\n")}\n`).then(
          (r: { errors?: boolean }) => r.errors !== true,
          () => false,
        ))
      )
        await new Promise((r) => setTimeout(r, 500));
      counts.created += 3;
      counts.updated += 1;
      if (deletes) counts.deleted += 1;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      for (const index of indices) await esJson(url, "POST", `/${index}/_refresh`);
      return counts;
    },
  };
}
