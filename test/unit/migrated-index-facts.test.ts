import * as http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectSharingFacts } from "../../provider/migrated-index/facts";
import { closeServer, listenForUrl } from "../helpers/http-server";

/** A source whose `logs-*` indices map `update_time` as a date, `bare` maps nothing, `logs` is an alias of logs-1. */
const MAPPED = ["logs-1", "logs-2", "logs-3"];
const paths: string[] = [];
let server: http.Server;
let url: string;

const fieldPart = (name: string) =>
  MAPPED.includes(name)
    ? { mappings: { update_time: { full_name: "update_time", mapping: { update_time: { type: "date" } } } } }
    : { mappings: {} };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    paths.push(req.url ?? "");
    const m = /^\/([^/?]*)\/?_mapping\/field\/update_time/.exec(req.url ?? "");
    res.setHeader("content-type", "application/json");
    if (m === null) {
      res.statusCode = 404;
      return res.end(JSON.stringify({ error: "not here" }));
    }
    const asked = m[1] === "" ? [...MAPPED, "bare"] : [m[1] === "logs" ? "logs-1" : decodeURIComponent(m[1])];
    if (asked.some((n) => n !== "" && ![...MAPPED, "bare"].includes(n))) {
      res.statusCode = 404;
      return res.end(JSON.stringify({ error: { type: "index_not_found_exception" }, status: 404 }));
    }
    res.end(JSON.stringify(Object.fromEntries(asked.map((n) => [n, fieldPart(n)]))));
  });
  url = await listenForUrl(server);
});

afterAll(() => closeServer(server));

const askField = (index: string) =>
  connectSharingFacts({ url }, "source", { retry: { maxAttempts: 1 } }).request<Record<string, unknown>>({
    method: "GET",
    path: `/${encodeURIComponent(index)}/_mapping/field/update_time`,
    timeoutMs: 5000,
  });

describe("connectSharingFacts: an index's field mapping", () => {
  it("answers the checks of many indices, one after another, from one read of the whole cluster", async () => {
    paths.length = 0;
    for (const index of MAPPED) expect(await askField(index)).toEqual({ [index]: fieldPart(index) });
    expect(paths).toEqual(["/_mapping/field/update_time"]);
  });

  it("asks alone for an index without the field, an alias, or a missing index: each gets its own answer or error", async () => {
    paths.length = 0;
    expect(await askField("bare")).toEqual({ bare: { mappings: {} } });
    expect(await askField("logs")).toEqual({ "logs-1": fieldPart("logs-1") });
    await expect(askField("gone")).rejects.toThrow(/404|index_not_found/);
    expect(paths).toEqual([
      "/bare/_mapping/field/update_time",
      "/logs/_mapping/field/update_time",
      "/gone/_mapping/field/update_time",
    ]);
  });
});
