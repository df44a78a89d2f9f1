// The modules a real cluster has work on every engine line the test world runs: an ingest pipeline processes a write
// (Painless's ingest extension included), Painless scripts run, a join field routes children to their parent,
// scaled_float maps, analysis-common's tokenizers and filters analyze, search templates render, and, where the engine
// has them, a data stream takes appends. One node per line, started one after the other.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_LINES, startEngine, type EngineNode } from "../world/engines";
import { EngineHttpError, esJson } from "../world/fixtures";

const lines = ENGINE_LINES.flatMap((line) =>
  line.verified.map((version) => ({ line, version, label: `${line.engine} ${version}` })),
);

describe.each(lines)("$label", ({ line, version }) => {
  let node: EngineNode;
  // 6.x wants the mapping under its single type; 7+ and OpenSearch take it bare.
  const mappings = (properties: Record<string, unknown>) =>
    line.engine === "elasticsearch" && line.major < 7 ? { _doc: { properties } } : { properties };
  const get = (index: string, id: string, query = "") => esJson(node.url, "GET", `/${index}/_doc/${id}${query}`);

  beforeAll(async () => {
    node = await startEngine({ engine: line.engine, version });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("an ingest pipeline of set, rename and a Painless script processor processes a write", async () => {
    await esJson(node.url, "PUT", "/_ingest/pipeline/tidy", {
      processors: [
        { set: { field: "source", value: "app" } },
        { rename: { field: "Name", target_field: "name" } },
        // Processors.lowercase comes from ingest-common's Painless extension: proves extensions are loaded.
        { script: { source: "ctx.slug = Processors.lowercase(ctx.name)" } },
      ],
    });
    await esJson(node.url, "PUT", "/people/_doc/1?pipeline=tidy&refresh=true", { Name: "Ada LOVELACE" });
    expect((await get("people", "1"))._source).toEqual({ source: "app", name: "Ada LOVELACE", slug: "ada lovelace" });
  });

  it("a Painless script runs in a search's script_fields and in an update by query", async () => {
    await esJson(node.url, "PUT", "/scores/_doc/1?refresh=true", { n: 21 });
    const found = await esJson(node.url, "POST", "/scores/_search", {
      script_fields: { twice: { script: { source: "doc['n'].value * params.k", params: { k: 2 } } } },
    });
    expect(found.hits.hits[0].fields.twice).toEqual([42]);
    await esJson(node.url, "POST", "/scores/_update_by_query?refresh=true", {
      script: { source: "ctx._source.n += 1" },
    });
    expect((await get("scores", "1"))._source.n).toBe(22);
  });

  it("a join field keeps children on their parent's shard and has_child finds the parent", async () => {
    await esJson(node.url, "PUT", "/qa", {
      settings: { number_of_shards: 2 },
      mappings: mappings({ qa: { type: "join", relations: { question: "answer" } }, text: { type: "text" } }),
    });
    await esJson(node.url, "PUT", "/qa/_doc/q1?refresh=true", { text: "why", qa: "question" });
    await esJson(node.url, "PUT", "/qa/_doc/a1?routing=q1&refresh=true", {
      text: "because",
      qa: { name: "answer", parent: "q1" },
    });
    // A child indexed without its parent's routing is refused by the join field.
    await expect(
      esJson(node.url, "PUT", "/qa/_doc/a2", { text: "lost", qa: { name: "answer", parent: "q1" } }),
    ).rejects.toThrow(/routing/);
    const parents = await esJson(node.url, "POST", "/qa/_search", {
      query: { has_child: { type: "answer", query: { match: { text: "because" } } } },
    });
    expect(parents.hits.hits.map((h: { _id: string }) => h._id)).toEqual(["q1"]);
    expect((await get("qa", "a1", "?routing=q1"))._source.text).toBe("because");
  });

  it("a scaled_float field maps and stores its values at the scale given", async () => {
    await esJson(node.url, "PUT", "/prices", {
      mappings: mappings({ price: { type: "scaled_float", scaling_factor: 100 } }),
    });
    await esJson(node.url, "PUT", "/prices/_doc/1?refresh=true", { price: 1.234 });
    const mapping = await esJson(node.url, "GET", "/prices/_mapping");
    expect(JSON.stringify(mapping)).toContain(`"price":{"type":"scaled_float","scaling_factor":100}`);
    // 1.234 is indexed as 123 hundredths: it matches 1.23 exactly.
    const hits = await esJson(node.url, "POST", "/prices/_count", { query: { term: { price: 1.23 } } });
    expect(hits.count).toBe(1);
  });

  it("an index's custom analyzer of an edge_ngram tokenizer and asciifolding, lowercase filters analyzes", async () => {
    await esJson(node.url, "PUT", "/suggest", {
      settings: {
        analysis: {
          tokenizer: { prefixes: { type: "edge_ngram", min_gram: 1, max_gram: 3, token_chars: ["letter"] } },
          analyzer: { autocomplete: { type: "custom", tokenizer: "prefixes", filter: ["asciifolding", "lowercase"] } },
        },
      },
    });
    const res = await esJson(node.url, "POST", "/suggest/_analyze", { analyzer: "autocomplete", text: "Émile" });
    expect(res.tokens.map((t: { token: string }) => t.token)).toEqual(["e", "em", "emi"]);
  });

  it("a stored mustache search template renders", async () => {
    await esJson(node.url, "POST", "/_scripts/by-name", {
      script: { lang: "mustache", source: '{"query":{"match":{"name":"{{who}}"}}}' },
    });
    const res = await esJson(node.url, "POST", "/_render/template", { id: "by-name", params: { who: "ada" } });
    expect(res.template_output).toEqual({ query: { match: { name: "ada" } } });
  });

  if (line.dataStreams) {
    it("a data stream is created from a composable template and takes appends", async () => {
      await esJson(node.url, "PUT", "/_index_template/events", {
        index_patterns: ["events-*"],
        data_stream: {},
        priority: 10,
      });
      await esJson(node.url, "POST", "/events-app/_doc?refresh=true", {
        "@timestamp": "2026-01-01T00:00:00Z",
        msg: "one",
      });
      await esJson(node.url, "PUT", "/events-app/_create/two?refresh=true", {
        "@timestamp": "2026-01-01T00:00:01Z",
        msg: "two",
      });
      const streams = await esJson(node.url, "GET", "/_data_stream/events-app");
      expect(streams.data_streams[0].indices[0].index_name).toBe(".ds-events-app-000001");
      expect((await esJson(node.url, "GET", "/events-app/_count")).count).toBe(2);
    });
  } else {
    it("has no data streams (x-pack): a composable template asking for one is refused", async () => {
      const refused = await esJson(node.url, "PUT", "/_index_template/events", {
        index_patterns: ["events-*"],
        data_stream: {},
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(EngineHttpError);
    });
  }
});
