// A "realistic source": what a real application's cluster holds besides documents (templates of each kind, ingest
// pipelines named by index settings, a stored script, aliases with filters / routing / a write index, custom routing,
// a join field, nested documents, a data stream where the engine has them, a closed and a dot index), seeded with a few
// hundred documents, and the checks an application would make after cutover. Plain `fetch` (./fixtures), never the
// package's own client, which the tests are checking.
import { randomBytes } from "node:crypto";
import { EngineHttpError, engineInfo, esJson, readIds, type EngineInfo } from "./fixtures";

/** What the engine at hand can hold, from its `GET /`. */
export interface SourceFeatures {
  /** `_index_template` and `_component_template` (Elasticsearch 7.8+, OpenSearch). */
  composableTemplates: boolean;
  /** `index.final_pipeline` (Elasticsearch 7.5+, OpenSearch). */
  finalPipeline: boolean;
  /** `is_hidden` on aliases (Elasticsearch 7.7+, OpenSearch). */
  hiddenAliases: boolean;
  /** Data streams: OpenSearch (core); the test world's Elasticsearch has none (x-pack). */
  dataStreams: boolean;
  /** Elasticsearch 6.x: mappings under the `_doc` type. */
  mappingType: boolean;
}

export function sourceFeatures(info: EngineInfo): SourceFeatures {
  const [major, minor] = info.version.split(".").map(Number);
  const es = info.distribution === "elasticsearch";
  const esAtLeast = (ma: number, mi: number) => major > ma || (major === ma && minor >= mi);
  return {
    composableTemplates: !es || esAtLeast(7, 8),
    finalPipeline: !es || esAtLeast(7, 5),
    hiddenAliases: !es || esAtLeast(7, 7),
    dataStreams: !es,
    mappingType: es && major < 7,
  };
}

/** A template and what a new index matching it must get. */
export interface SeededTemplate {
  name: string;
  patterns: string[];
  /** A field the template maps as `keyword` (dynamic mapping would make it `text`). */
  keywordField: string;
}

/** An ingest pipeline and the index settings that name it. */
export interface SeededPipeline {
  name: string;
  /** `index.default_pipeline` or `index.final_pipeline`. */
  role: "default" | "final";
  /** Indices whose settings name it. */
  indices: string[];
  /** What a write through it shows: `input` is indexed, `expect` fields must then be in `_source`. */
  probe: { input: Record<string, unknown>; expect: Record<string, unknown> };
}

/** An alias as seeded: where it points and how. */
export interface SeededAlias {
  name: string;
  indices: string[];
  filter?: Record<string, unknown>;
  routing?: string;
  /** The index writes through the alias land in. */
  writeIndex?: string;
  hidden?: boolean;
  /** IDs a search through the alias returns (its filter applied). */
  ids: string[];
}

/** An index and its top-level documents (what `_count` counts). */
export interface SeededIndex {
  name: string;
  /** Top-level documents. */
  documents: number;
  ids: string[];
  /** Lucene documents when they differ (nested objects are documents of their own): `_cat/indices`' docs.count. */
  luceneDocuments?: number;
  /** The routing each document was indexed with, by id (custom routing, join children). */
  routing?: Record<string, string>;
  /** `_routing: required` in the mapping. */
  routingRequired?: boolean;
  /** Settings an application relies on (`index.default_pipeline`, `index.final_pipeline`). */
  pipelines?: { default?: string; final?: string };
}

/** Everything `seedRealisticSource` created: the expectations of `checkApplicationWorks` and of the tests. */
export interface SeededSource {
  engine: EngineInfo;
  features: SourceFeatures;
  legacyTemplates: SeededTemplate[];
  componentTemplates: string[];
  /** Composable templates, the data stream's included. */
  indexTemplates: SeededTemplate[];
  pipelines: SeededPipeline[];
  /** Stored scripts: a Painless one (`params.factor` times `total`) and a mustache search template. */
  scripts: { id: string; lang: "painless" | "mustache" }[];
  aliases: SeededAlias[];
  /** Open, non-dot indices with their documents: what a migration must copy. */
  indices: SeededIndex[];
  /** The index with a `join` field: its relation, parents, and children by id with their parent (their routing). */
  join: {
    index: string;
    field: string;
    parentType: string;
    childType: string;
    parents: string[];
    children: Record<string, string>;
  };
  /** Data streams with their documents (appended with `op_type: create`); empty where the engine has none. */
  dataStreams: { name: string; template: string; documents: number; ids: string[] }[];
  /** A closed index (10 documents before it was closed). */
  closedIndices: SeededIndex[];
  /** A dot index an application keeps its configuration in (not an engine system index). */
  dotIndices: SeededIndex[];
}

/** What to leave out, for tests of a feature that does not cover everything yet. */
export interface RealisticSourceOptions {
  without?: ("closedIndex" | "dotIndex" | "dataStream")[];
}

const DAYS = ["app-logs-2026.01.01", "app-logs-2026.01.02"];
const ORDERS = "orders-2026.01";
const CUSTOMERS = "customers";
const QA = "qa";
const CARTS = "carts";
const STREAM = "events-app";
const CLOSED = "archive-2025";
const DOT = ".app-config";

type Doc = { id: string; source: Record<string, unknown>; routing?: string };

// Like ./fixtures' seedDocuments, with routing per document and `create` (the only write a data stream takes).
async function bulk(url: string, index: string, docs: Doc[], op: "index" | "create" = "index"): Promise<void> {
  const typed = sourceFeatures(await engineInfo(url)).mappingType ? { _type: "_doc" } : {};
  const body = docs
    .map(
      (d) =>
        `${JSON.stringify({ [op]: { _index: index, ...typed, _id: d.id, ...(d.routing ? { routing: d.routing } : {}) } })}\n${JSON.stringify(d.source)}\n`,
    )
    .join("");
  const res = await esJson<{ errors: boolean; items: Record<string, { error?: unknown }>[] }>(
    url,
    "POST",
    "/_bulk?refresh=true",
    body,
  );
  if (res.errors) {
    const failed = res.items.find((i) => i[op]?.error);
    throw new Error(`_bulk into ${index} rejected documents, first: ${JSON.stringify(failed?.[op]?.error)}`);
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * Builds a realistic application's cluster on `url` (adapted to its engine and version, read from `GET /`) and
 * returns what it created. Expects a cluster without these names; under 400 documents, a few seconds.
 */
export async function seedRealisticSource(url: string, options: RealisticSourceOptions = {}): Promise<SeededSource> {
  const engine = await engineInfo(url);
  const features = sourceFeatures(engine);
  const without = new Set(options.without ?? []);
  const mappings = (m: Record<string, unknown>) => (features.mappingType ? { _doc: m } : m);
  const put = (path: string, body: unknown) => esJson(url, "PUT", path, body);

  // Pipelines first: index settings and templates name them.
  const pipelines: SeededPipeline[] = [
    {
      name: "orders-defaults",
      role: "default",
      indices: [ORDERS],
      probe: { input: { status: "PAID", customer: "c-probe", total: 1 }, expect: { status: "paid", channel: "web" } },
    },
  ];
  await put("/_ingest/pipeline/orders-defaults", {
    description: "normalizes orders written by the shop",
    processors: [{ lowercase: { field: "status" } }, { set: { field: "channel", value: "web", override: false } }],
  });
  if (features.finalPipeline) {
    pipelines.push({
      name: "audit-final",
      role: "final",
      indices: [ORDERS],
      probe: { input: { status: "new", customer: "c-probe", total: 1 }, expect: { audited: true } },
    });
    await put("/_ingest/pipeline/audit-final", {
      description: "marks every write",
      processors: [{ set: { field: "audited", value: true } }],
    });
  }
  const orderPipelines = { default: "orders-defaults", ...(features.finalPipeline ? { final: "audit-final" } : {}) };
  const pipelineSettings = {
    "index.default_pipeline": orderPipelines.default,
    ...(orderPipelines.final ? { "index.final_pipeline": orderPipelines.final } : {}),
  };

  // Templates: daily log indices from a legacy template; orders from a composable one (a legacy one on 6.x).
  const legacyTemplates: SeededTemplate[] = [{ name: "app-logs", patterns: ["app-logs-*"], keywordField: "level" }];
  await put("/_template/app-logs", {
    index_patterns: ["app-logs-*"],
    order: 1,
    settings: { number_of_shards: 1 },
    mappings: mappings({
      properties: {
        level: { type: "keyword" },
        message: { type: "text" },
        "@timestamp": { type: "date" },
        host: { type: "keyword" },
      },
    }),
    aliases: { "app-logs": {} },
  });
  const ordersMappings = {
    properties: {
      customer: { type: "keyword" },
      status: { type: "keyword" },
      total: { type: "scaled_float", scaling_factor: 100 },
      channel: { type: "keyword" },
    },
  };
  const componentTemplates: string[] = [];
  const indexTemplates: SeededTemplate[] = [];
  if (features.composableTemplates) {
    await put("/_component_template/orders-mappings", { template: { mappings: ordersMappings } });
    await put("/_component_template/orders-settings", {
      template: { settings: { number_of_shards: 1, ...pipelineSettings } },
    });
    componentTemplates.push("orders-mappings", "orders-settings");
    await put("/_index_template/orders", {
      index_patterns: ["orders-*"],
      composed_of: componentTemplates,
      priority: 100,
    });
    indexTemplates.push({ name: "orders", patterns: ["orders-*"], keywordField: "customer" });
  } else {
    await put("/_template/orders", {
      index_patterns: ["orders-*"],
      order: 1,
      settings: { number_of_shards: 1, ...pipelineSettings },
      mappings: mappings(ordersMappings),
    });
    legacyTemplates.push({ name: "orders", patterns: ["orders-*"], keywordField: "customer" });
  }

  const scripts: SeededSource["scripts"] = [
    { id: "order-total-times", lang: "painless" },
    { id: "orders-of-customer", lang: "mustache" },
  ];
  await esJson(url, "POST", "/_scripts/order-total-times", {
    script: { lang: "painless", source: "doc['total'].value * params.factor" },
  });
  await esJson(url, "POST", "/_scripts/orders-of-customer", {
    script: { lang: "mustache", source: '{"query":{"term":{"customer":"{{customer}}"}}}' },
  });

  const indices: SeededIndex[] = [];
  const seed = async (index: string, docs: Doc[], extra: Partial<SeededIndex> = {}) => {
    await bulk(url, index, docs);
    const entry: SeededIndex = { name: index, documents: docs.length, ids: docs.map((d) => d.id), ...extra };
    indices.push(entry);
    return entry;
  };

  // Daily logs (legacy template), written through nothing special.
  for (const [day, index] of DAYS.entries()) {
    await seed(
      index,
      range(60).map((i) => ({
        id: `log-${day}-${i}`,
        source: {
          "@timestamp": `2026-01-0${day + 1}T00:${String(i).padStart(2, "0")}:00Z`,
          level: i % 10 === 0 ? "ERROR" : "INFO",
          message: `request ${i} served`,
          host: `web-${i % 3}`,
        },
      })),
    );
  }
  // Orders (composable template, default and final pipelines): statuses in capitals, lowercased by the pipeline.
  await seed(
    ORDERS,
    range(40).map((i) => ({
      id: `order-${i}`,
      source: { customer: `c-${i % 8}`, status: i % 4 === 0 ? "REFUNDED" : "PAID", total: 10 + i * 2.5 },
    })),
    { pipelines: orderPipelines },
  );
  // Customers: custom routing required, by region.
  await put(`/${CUSTOMERS}`, {
    settings: { number_of_shards: 2 },
    mappings: mappings({
      _routing: { required: true },
      properties: { region: { type: "keyword" }, name: { type: "text" } },
    }),
  });
  const customerDocs = range(40).map((i) => ({
    id: `cust-${i}`,
    routing: i % 3 === 0 ? "us" : "eu",
    source: { region: i % 3 === 0 ? "us" : "eu", name: `Customer ${i}` },
  }));
  await seed(CUSTOMERS, customerDocs, {
    routingRequired: true,
    routing: Object.fromEntries(customerDocs.map((d) => [d.id, d.routing])),
  });
  // Questions and answers: a join field, answers routed to their question.
  await put(`/${QA}`, {
    settings: { number_of_shards: 2 },
    mappings: mappings({
      properties: { qa: { type: "join", relations: { question: "answer" } }, text: { type: "text" } },
    }),
  });
  const parents = range(20).map((i) => `q-${i}`);
  const children: Record<string, string> = Object.fromEntries(range(40).map((i) => [`a-${i}`, `q-${i % 20}`]));
  await seed(
    QA,
    [
      ...parents.map((id) => ({ id, source: { text: `question ${id}`, qa: "question" } })),
      ...Object.entries(children).map(([id, parent]) => ({
        id,
        routing: parent,
        source: { text: `answer ${id}`, qa: { name: "answer", parent } },
      })),
    ],
    { routing: { ...children } },
  );
  // Shopping carts: nested items, so Lucene counts 4 documents per cart.
  await put(`/${CARTS}`, {
    mappings: mappings({
      properties: { items: { type: "nested", properties: { sku: { type: "keyword" }, qty: { type: "integer" } } } },
    }),
  });
  await seed(
    CARTS,
    range(30).map((i) => ({
      id: `cart-${i}`,
      source: { user: `u-${i}`, items: range(3).map((k) => ({ sku: `sku-${(i + k) % 7}`, qty: k + 1 })) },
    })),
    { luceneDocuments: 30 * 4 },
  );

  // Aliases: the template's read alias, a write alias, a filtered alias, a routing alias, a hidden one.
  const idsOf = (name: string) => indices.find((i) => i.name === name)!.ids;
  const orderIdsWhere = (status: string) =>
    range(40)
      .filter((i) => (i % 4 === 0 ? "refunded" : "paid") === status)
      .map((i) => `order-${i}`);
  const aliases: SeededAlias[] = [
    { name: "app-logs", indices: [...DAYS], ids: DAYS.flatMap(idsOf) },
    { name: "app-logs-write", indices: [...DAYS], writeIndex: DAYS[1], ids: DAYS.flatMap(idsOf) },
    { name: "orders-paid", indices: [ORDERS], filter: { term: { status: "paid" } }, ids: orderIdsWhere("paid") },
    {
      name: "customers-eu",
      indices: [CUSTOMERS],
      filter: { term: { region: "eu" } },
      routing: "eu",
      ids: customerDocs.filter((d) => d.routing === "eu").map((d) => d.id),
    },
  ];
  if (features.hiddenAliases)
    aliases.push({ name: "orders-internal", indices: [ORDERS], hidden: true, ids: idsOf(ORDERS) });
  const actions = aliases
    .filter((a) => a.name !== "app-logs")
    .flatMap((a) =>
      a.indices.map((index) => ({
        add: {
          index,
          alias: a.name,
          ...(a.filter ? { filter: a.filter } : {}),
          ...(a.routing ? { routing: a.routing } : {}),
          ...(a.writeIndex ? { is_write_index: a.writeIndex === index } : {}),
          ...(a.hidden ? { is_hidden: true } : {}),
        },
      })),
    );
  await esJson(url, "POST", "/_aliases", { actions });

  const dataStreams: SeededSource["dataStreams"] = [];
  if (features.dataStreams && !without.has("dataStream")) {
    await put("/_index_template/events", {
      index_patterns: ["events-*"],
      data_stream: {},
      priority: 200,
      template: {
        mappings: {
          properties: { "@timestamp": { type: "date" }, kind: { type: "keyword" }, message: { type: "text" } },
        },
      },
    });
    indexTemplates.push({ name: "events", patterns: ["events-*"], keywordField: "kind" });
    const docs = range(50).map((i) => ({
      id: `ev-${i}`,
      source: {
        "@timestamp": `2026-01-01T01:00:${String(i).padStart(2, "0")}Z`,
        kind: i % 2 ? "click" : "view",
        message: `event ${i}`,
      },
    }));
    await bulk(url, STREAM, docs, "create");
    dataStreams.push({ name: STREAM, template: "events", documents: docs.length, ids: docs.map((d) => d.id) });
  }

  const closedIndices: SeededIndex[] = [];
  if (!without.has("closedIndex")) {
    const docs = range(10).map((i) => ({ id: `old-${i}`, source: { note: `archived ${i}` } }));
    await bulk(url, CLOSED, docs);
    await esJson(url, "POST", `/${CLOSED}/_close`);
    closedIndices.push({ name: CLOSED, documents: docs.length, ids: docs.map((d) => d.id) });
  }
  const dotIndices: SeededIndex[] = [];
  if (!without.has("dotIndex")) {
    const docs = range(3).map((i) => ({ id: `setting-${i}`, source: { key: `feature-${i}`, enabled: i !== 1 } }));
    await bulk(url, DOT, docs);
    dotIndices.push({ name: DOT, documents: docs.length, ids: docs.map((d) => d.id) });
  }

  return {
    engine,
    features,
    legacyTemplates,
    componentTemplates,
    indexTemplates,
    pipelines,
    scripts,
    aliases,
    indices,
    join: { index: QA, field: "qa", parentType: "question", childType: "answer", parents, children },
    dataStreams,
    closedIndices,
    dotIndices,
  };
}

/** The names of a cluster's objects: for before/after comparisons. Aliases map to their indices, sorted. */
export interface ObjectInventory {
  legacyTemplates: string[];
  componentTemplates: string[];
  indexTemplates: string[];
  pipelines: string[];
  scripts: string[];
  aliases: Record<string, string[]>;
  dataStreams: string[];
}

// An API the engine lacks (6.x: no composable templates; Elasticsearch without x-pack: no data streams) lists nothing.
async function namesOr(url: string, path: string, pick: (body: any) => string[]): Promise<string[]> {
  try {
    return pick(await esJson(url, "GET", path)).sort();
  } catch (err) {
    if (err instanceof EngineHttpError && [400, 404, 405].includes(err.status)) return [];
    throw err;
  }
}

/** Lists the templates (all three kinds), pipelines, stored scripts, aliases and data streams of the cluster at `url`. */
export async function objectInventory(url: string): Promise<ObjectInventory> {
  const [legacyTemplates, componentTemplates, indexTemplates, pipelines, scripts, dataStreams, aliasBody] =
    await Promise.all([
      namesOr(url, "/_template", (b) => Object.keys(b)),
      namesOr(url, "/_component_template", (b) => b.component_templates.map((t: { name: string }) => t.name)),
      namesOr(url, "/_index_template", (b) => b.index_templates.map((t: { name: string }) => t.name)),
      namesOr(url, "/_ingest/pipeline", (b) => Object.keys(b ?? {})),
      // No API lists stored scripts: the cluster state holds them.
      namesOr(url, "/_cluster/state/metadata?filter_path=metadata.stored_scripts", (b) =>
        Object.keys(b?.metadata?.stored_scripts ?? {}),
      ),
      namesOr(url, "/_data_stream", (b) => b.data_streams.map((d: { name: string }) => d.name)),
      esJson(url, "GET", "/_alias?expand_wildcards=all"),
    ]);
  const aliases: Record<string, string[]> = {};
  for (const [index, { aliases: of }] of Object.entries(
    aliasBody as Record<string, { aliases: Record<string, unknown> }>,
  )) {
    for (const alias of Object.keys(of)) (aliases[alias] ??= []).push(index);
  }
  for (const list of Object.values(aliases)) list.sort();
  return { legacyTemplates, componentTemplates, indexTemplates, pipelines, scripts, aliases, dataStreams };
}

const sorted = (ids: Iterable<string>) => [...ids].sort();
const same = (a: Iterable<string>, b: Iterable<string>) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

async function searchIds(url: string, target: string, query?: Record<string, unknown>): Promise<string[]> {
  const res = await esJson(url, "POST", `/${encodeURIComponent(target)}/_search`, {
    size: 1000,
    _source: false,
    ...(query ? { query } : {}),
  });
  return res.hits.hits.map((h: { _id: string }) => h._id);
}

/**
 * What an application would notice after cutover to `destUrl`, checked against what `seedRealisticSource` seeded:
 * returns one line per failure (empty: the application works). Checks, in this order: every seeded index, data stream
 * and join index holds the source's top-level documents (count and ids); routed documents are found with their routing;
 * has_child / has_parent find the join's families; each alias exists, points where it did, and a search through it
 * returns what its filter lets through; the stored scripts exist and run; a new index matching each template gets the
 * template's `keyword` field; a write to each index with pipelines is processed by them; a write through the write
 * alias lands in its write index; each data stream is a data stream and takes an append (`op_type: create`).
 *
 * The write checks leave no documents behind: probe documents are deleted and probe indices removed (deleted documents
 * and sequence numbers do move on: run it after the migration's last preview and up). Closed and dot indices
 * are not checked (whether a migration moves them is the test's business: `seeded.closedIndices`, `seeded.dotIndices`).
 */
export async function checkApplicationWorks(destUrl: string, seeded: SeededSource): Promise<string[]> {
  const failures: string[] = [];
  const check = async (what: string, step: () => Promise<string | undefined>) => {
    try {
      const failure = await step();
      if (failure) failures.push(`${what}: ${failure}`);
    } catch (err) {
      failures.push(`${what}: ${(err as Error).message}`);
    }
  };
  const dest = sourceFeatures(await engineInfo(destUrl));

  // The documents, before anything is written.
  for (const index of [...seeded.indices, ...seeded.dataStreams.map((d) => ({ name: d.name, ids: d.ids }))]) {
    await check(`documents of ${index.name}`, async () => {
      const ids = await readIds(destUrl, index.name);
      const { count } = await esJson(destUrl, "POST", `/${encodeURIComponent(index.name)}/_count`, {});
      if (count !== index.ids.length) return `${count} top-level documents, the source has ${index.ids.length}`;
      if (!same(ids, index.ids))
        return `ids differ from the source's (missing: ${
          index.ids
            .filter((id) => !ids.has(id))
            .slice(0, 5)
            .join(", ") || "none"
        })`;
    });
  }
  for (const index of seeded.indices.filter((i) => i.routing)) {
    await check(`routed documents of ${index.name}`, async () => {
      const docs = Object.entries(index.routing!).map(([_id, routing]) => ({ _id, routing }));
      const res = await esJson(destUrl, "POST", `/${encodeURIComponent(index.name)}/_mget`, { docs });
      const missing = res.docs.filter((d: { found: boolean }) => !d.found).map((d: { _id: string }) => d._id);
      if (missing.length > 0)
        return `not found with their routing: ${missing.slice(0, 5).join(", ")} (${missing.length} of ${docs.length})`;
    });
  }
  const { join } = seeded;
  await check(`join field of ${join.index}`, async () => {
    const withChildren = await searchIds(destUrl, join.index, {
      has_child: { type: join.childType, query: { match_all: {} } },
    });
    if (!same(withChildren, new Set(Object.values(join.children))))
      return `has_child finds ${withChildren.length} questions, expected ${join.parents.length}`;
    const withParent = await searchIds(destUrl, join.index, {
      has_parent: { parent_type: join.parentType, query: { match_all: {} } },
    });
    if (!same(withParent, Object.keys(join.children)))
      return `has_parent finds ${withParent.length} answers, expected ${Object.keys(join.children).length}`;
  });

  for (const alias of seeded.aliases) {
    await check(`alias ${alias.name}`, async () => {
      const body = await esJson(destUrl, "GET", `/_alias/${encodeURIComponent(alias.name)}`).catch((err) => {
        if (err instanceof EngineHttpError && err.status === 404) return undefined;
        throw err;
      });
      if (!body) return "does not exist";
      if (!same(Object.keys(body), alias.indices))
        return `points to ${sorted(Object.keys(body)).join(", ")}, expected ${sorted(alias.indices).join(", ")}`;
      for (const index of alias.indices) {
        const props = body[index].aliases[alias.name];
        if (alias.filter && JSON.stringify(props.filter) !== JSON.stringify(alias.filter))
          return `filter on ${index} is ${JSON.stringify(props.filter)}`;
        if (alias.routing && (props.index_routing !== alias.routing || props.search_routing !== alias.routing))
          return `routing on ${index} is ${props.index_routing}/${props.search_routing}`;
        if (alias.writeIndex && (props.is_write_index === true) !== (index === alias.writeIndex))
          return `is_write_index on ${index} is ${props.is_write_index}`;
        if (alias.hidden && props.is_hidden !== true) return `is_hidden on ${index} is ${props.is_hidden}`;
      }
      const ids = await searchIds(destUrl, alias.name);
      if (!same(ids, alias.ids))
        return `a search through it returns ${ids.length} documents, expected ${alias.ids.length}`;
    });
  }

  const orders = seeded.indices.find((i) => i.pipelines)!;
  for (const script of seeded.scripts) {
    await check(`stored script ${script.id}`, async () => {
      if (script.lang === "painless") {
        const res = await esJson(destUrl, "POST", `/${orders.name}/_search`, {
          size: 1,
          query: { ids: { values: ["order-2"] } },
          script_fields: { times: { script: { id: script.id, params: { factor: 2 } } } },
        });
        const value = res.hits.hits[0]?.fields?.times?.[0];
        if (value !== 30) return `order-2's total (15) times 2 gave ${value}`;
      } else {
        const res = await esJson(destUrl, "POST", "/_render/template", { id: script.id, params: { customer: "c-1" } });
        if (JSON.stringify(res.template_output) !== JSON.stringify({ query: { term: { customer: "c-1" } } }))
          return `renders ${JSON.stringify(res.template_output)}`;
      }
    });
  }

  // Writes: each leaves nothing behind.
  const probe = `probe-${randomBytes(4).toString("hex")}`;
  for (const template of [...seeded.legacyTemplates, ...seeded.indexTemplates]) {
    if (seeded.dataStreams.some((d) => d.template === template.name)) continue;
    const index = template.patterns[0].replace("*", probe);
    await check(`template ${template.name}`, async () => {
      try {
        await esJson(destUrl, "PUT", `/${index}`);
        const mapping = await esJson(destUrl, "GET", `/${index}/_mapping`);
        const props = dest.mappingType ? mapping[index].mappings._doc?.properties : mapping[index].mappings.properties;
        const type = props?.[template.keywordField]?.type;
        if (type !== "keyword")
          return `a new index ${index} maps ${template.keywordField} as ${type ?? "nothing"}, not keyword`;
      } finally {
        await esJson(destUrl, "DELETE", `/${index}`).catch(() => undefined);
      }
    });
  }
  for (const pipeline of seeded.pipelines) {
    for (const index of pipeline.indices) {
      await check(`${pipeline.role} pipeline ${pipeline.name} of ${index}`, async () => {
        const settings = await esJson(destUrl, "GET", `/${index}/_settings`);
        const named = settings[index].settings.index[`${pipeline.role}_pipeline`];
        if (named !== pipeline.name) return `index.${pipeline.role}_pipeline is ${named ?? "not set"}`;
        const written = await esJson(destUrl, "PUT", `/${index}/_doc/${probe}?refresh=true`, pipeline.probe.input);
        try {
          const doc = await esJson(destUrl, "GET", `/${index}/_doc/${probe}`);
          const wrong = Object.entries(pipeline.probe.expect).filter(
            ([k, v]) => JSON.stringify(doc._source[k]) !== JSON.stringify(v),
          );
          if (wrong.length > 0)
            return `a write was not processed: ${JSON.stringify(pipeline.probe.input)} became ${JSON.stringify(doc._source)}`;
        } finally {
          await esJson(destUrl, "DELETE", `/${written._index}/_doc/${probe}?refresh=true`).catch(() => undefined);
        }
      });
    }
  }
  for (const alias of seeded.aliases.filter((a) => a.writeIndex)) {
    await check(`write alias ${alias.name}`, async () => {
      const written = await esJson(destUrl, "PUT", `/${alias.name}/_doc/${probe}?refresh=true`, {
        level: "INFO",
        message: "probe",
      });
      await esJson(destUrl, "DELETE", `/${written._index}/_doc/${probe}?refresh=true`).catch(() => undefined);
      if (written._index !== alias.writeIndex)
        return `a write landed in ${written._index}, expected ${alias.writeIndex}`;
    });
  }
  for (const stream of seeded.dataStreams) {
    await check(`data stream ${stream.name}`, async () => {
      const body = await esJson(destUrl, "GET", `/_data_stream/${stream.name}`).catch(() => undefined);
      if (!body?.data_streams?.some((d: { name: string }) => d.name === stream.name)) return "is not a data stream";
      const written = await esJson(destUrl, "POST", `/${stream.name}/_doc?op_type=create&refresh=true`, {
        "@timestamp": "2026-02-01T00:00:00Z",
        kind: "probe",
      });
      await esJson(destUrl, "DELETE", `/${written._index}/_doc/${written._id}?refresh=true`).catch(() => undefined);
      if (!written._index.startsWith(".ds-")) return `an append landed in ${written._index}`;
    });
  }
  return failures;
}
