// The shortcut of a diff with nothing waiting (provider/reindex/untouched.ts): both indices' write marks as the last
// verified run left them, read for every index of a cluster at once, against a local server that answers `_stats`.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unchangedMarks, untouchedSinceLastRun } from "../../provider/reindex/untouched";

const recorded = { "logs/u1/0": 41, "logs/u1/1": 40 };

describe("whether an index is as the last run left it", () => {
  it.each([
    ["no shard advanced", { "logs/u1/0": 41, "logs/u1/1": 40, "orders/u2/0": 9 }, true],
    ["a shard advanced (a write since)", { "logs/u1/0": 42, "logs/u1/1": 40 }, false],
    ["the index was recreated (another uuid)", { "logs/u9/0": 41, "logs/u9/1": 40 }, false],
    ["the index is gone", { "orders/u2/0": 9 }, false],
  ])("%s: %s", (_label, now, expected) => {
    expect(unchangedMarks(recorded, now, "logs")).toBe(expected);
  });

  it("does not answer for an alias or a pattern (the marks name other indices) or without marks", () => {
    expect(unchangedMarks({ "logs-a/u1/0": 3 }, { "logs-a/u1/0": 3 }, "logs-*")).toBe(false);
    expect(unchangedMarks(undefined, recorded, "logs")).toBe(false);
    expect(unchangedMarks(recorded, undefined, "logs")).toBe(false);
    expect(unchangedMarks({}, recorded, "logs")).toBe(false);
  });
});

describe("reading the marks for many diffs", () => {
  let server: http.Server;
  let url: string;
  const asked: string[] = [];
  let seqNo = 41;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      asked.push(req.url!);
      res.setHeader("content-type", "application/json");
      if (req.url === "/") {
        res.end(JSON.stringify({ version: { number: "7.10.2" }, tagline: "You Know, for Search" }));
        return;
      }
      const shard = (n: number) => [{ routing: { primary: true }, seq_no: { max_seq_no: n } }];
      res.end(
        JSON.stringify({
          indices: {
            logs: { uuid: "u1", shards: { 0: shard(seqNo) } },
            orders: { uuid: "u2", shards: { 0: shard(9) } },
          },
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const stats = () => asked.filter((u) => u.startsWith("/_stats")).length;

  it("asks each cluster once for the diffs of several indices, and again when an index asks a second time", async () => {
    const conn = { url };
    const last = (index: string, n: number) => ({
      sourceMarks: { [`${index}/${index === "logs" ? "u1" : "u2"}/0`]: n },
      destMarks: { [`${index}/${index === "logs" ? "u1" : "u2"}/0`]: n },
    });
    const t = 1_000_000;
    const diff = (index: string, n: number, at: number) =>
      untouchedSinceLastRun({ conn, index }, { conn: { url: `${url}/` }, index }, last(index, n), at);
    expect(await diff("logs", 41, t)).toBe(true);
    expect(await diff("orders", 9, t + 10)).toBe(true);
    // One read of the source and one of the destination (another connection) served both indices.
    expect(stats()).toBe(2);
    // A write since: the same index's next diff reads again and sees it.
    seqNo = 42;
    expect(await diff("logs", 41, t + 20)).toBe(false);
    expect(stats()).toBe(4);
    expect(await diff("orders", 9, t + 30)).toBe(true);
    expect(stats()).toBe(4);
  });

  it("says nothing without a run to build on", async () => {
    expect(
      await untouchedSinceLastRun({ conn: { url }, index: "logs" }, { conn: { url }, index: "logs" }, undefined),
    ).toBe(false);
  });
});
