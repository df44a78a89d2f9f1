// The demo's source data: a few indices shaped like real ones (logs by month, orders, a product catalog created the
// 6.x way with a custom mapping type, a system index that must be skipped), every document with an `update_time`
// date that grows on each write, so an incremental migration can pick up what changed.
import { esJson } from "../../test/world/fixtures";

/** One source index of the demo. */
export interface DemoIndex {
  name: string;
  /** Documents seeded before the first `pulumi up`. */
  docs: number;
  /** Created 6.x-style with this mapping type (`include_type_name=true`) and written through typed bulk actions. */
  typeName?: string;
}

/** What the second wave wrote: documents new since the first `up` and existing ones written again. */
export interface SecondWave {
  /** Per index: documents added. */
  added: Record<string, number>;
  /** Per index: documents overwritten with a later update_time. */
  updated: Record<string, number>;
}

/** A system index: the migration must skip it and report it. */
export const SYSTEM_INDEX = ".demo-settings";

const SHARES: Array<{ name: string; share: number; typeName?: string }> = [
  { name: "logs-2024.05", share: 0.4 },
  { name: "logs-2024.06", share: 0.3 },
  { name: "orders", share: 0.2 },
  { name: "catalog", share: 0.1, typeName: "product" },
];

/** The demo's indices for `totalDocs` documents in all (split 40/30/20/10). */
export function demoIndexPlan(totalDocs: number): DemoIndex[] {
  return SHARES.map(({ name, share, typeName }) => ({ name, docs: Math.round(totalDocs * share), typeName }));
}

const FIRST_WAVE_START = Date.UTC(2024, 4, 1);
const SECOND_WAVE_START = Date.UTC(2025, 0, 1);

function demoDoc(index: string, n: number, updateTime: number, revision: number): Record<string, unknown> {
  return {
    n,
    tenant: `tenant-${n % 7}`,
    amount: (n * 37) % 1000,
    msg: `${index} event ${n} (revision ${revision})`,
    update_time: new Date(updateTime).toISOString(),
  };
}

const MAPPING = {
  properties: {
    n: { type: "long" },
    tenant: { type: "keyword" },
    amount: { type: "integer" },
    msg: { type: "text" },
    update_time: { type: "date" },
  },
};

// Seeding only: no refreshes and no fsync per bulk (reset once the index is full, so the migration copies plain settings).
const FAST_LOAD = { refresh_interval: "-1", "translog.durability": "async" };
const FAST_LOAD_RESET = { refresh_interval: null, "translog.durability": null };

/** Creates the index: typeless, or 6.x-style with its mapping type when the index has a `typeName`. */
async function createIndex(url: string, index: DemoIndex): Promise<void> {
  const settings = { number_of_shards: 1, number_of_replicas: 0, ...FAST_LOAD };
  if (index.typeName) {
    await esJson(url, "PUT", `/${index.name}?include_type_name=true`, {
      settings,
      mappings: { [index.typeName]: MAPPING },
    });
  } else {
    await esJson(url, "PUT", `/${index.name}`, { settings, mappings: MAPPING });
  }
}

const BULK = 5000;

/** Writes documents `from`..`from+count-1` of an index (IDs `<index>-<n>`), typed when the index is 6.x-style. */
async function writeDocs(
  url: string,
  index: DemoIndex,
  from: number,
  count: number,
  doc: (n: number) => Record<string, unknown>,
): Promise<void> {
  const type = index.typeName ? { _type: index.typeName } : {};
  for (let start = from; start < from + count; start += BULK) {
    const end = Math.min(from + count, start + BULK);
    let body = "";
    for (let n = start; n < end; n++) {
      body += `${JSON.stringify({ index: { _index: index.name, ...type, _id: `${index.name}-${n}` } })}\n${JSON.stringify(doc(n))}\n`;
    }
    const res = await esJson(url, "POST", "/_bulk", body);
    if (res.errors) {
      const failed = res.items.find((i: any) => i.index?.error);
      throw new Error(`_bulk into ${index.name} rejected documents, first: ${JSON.stringify(failed?.index?.error)}`);
    }
  }
  await esJson(url, "POST", `/${index.name}/_refresh`);
}

/** Creates and fills the demo's indices on the source, plus the system index the migration must skip. */
export async function seedSource(url: string, plan: DemoIndex[]): Promise<void> {
  await esJson(url, "PUT", `/${SYSTEM_INDEX}`, { settings: { number_of_shards: 1, number_of_replicas: 0 } });
  await esJson(url, "PUT", `/${SYSTEM_INDEX}/_doc/theme?refresh=true`, { theme: "dark" });
  // Two indices at a time: bulk requests from one stream leave the node idle while the next body is built and sent.
  const queue = [...plan];
  const worker = async () => {
    for (let index = queue.shift(); index; index = queue.shift()) {
      await createIndex(url, index);
      await writeDocs(url, index, 0, index.docs, (n) => demoDoc(index.name, n, FIRST_WAVE_START + n * 1000, 1));
      await esJson(url, "PUT", `/${index.name}/_settings`, { index: FAST_LOAD_RESET });
    }
  };
  await Promise.all([worker(), worker()]);
}

/**
 * Writes the second wave on the source: per index `added` new documents and `updated` existing ones rewritten
 * (the first documents of the index), all with update_time in 2025, later than anything of the first wave.
 */
export async function writeSecondWave(
  url: string,
  plan: DemoIndex[],
  perIndex: { added: number; updated: number },
): Promise<SecondWave> {
  const wave: SecondWave = { added: {}, updated: {} };
  for (const index of plan) {
    await writeDocs(url, index, index.docs, perIndex.added, (n) =>
      demoDoc(index.name, n, SECOND_WAVE_START + n * 1000, 1),
    );
    await writeDocs(url, index, 0, perIndex.updated, (n) => demoDoc(index.name, n, SECOND_WAVE_START + n * 1000, 2));
    wave.added[index.name] = perIndex.added;
    wave.updated[index.name] = perIndex.updated;
  }
  return wave;
}
