// Backpressure of remote reindex tasks: when the engine's retry counts grow (pages rejected with 429 and retried),
// the task is slowed by half, no more often than every SETTLE_MS, never below MIN_RATE; without rejections it is let
// faster again up to where it started; while it pushes back, fewer tasks run into the destination at once. And what
// the copy says when it does.
import { describe, expect, it } from "vitest";
import {
  Backpressure,
  MIN_RATE,
  nextRate,
  SETTLE_MS,
  TaskSlots,
  taskSlots,
  type PressureState,
} from "../../provider/reindex/backpressure";
import { runReindex } from "../../provider/reindex/run";
import { validateInputs } from "../../provider/reindex/validate";
import type { Cluster, ClusterRequest } from "../../provider/connection/types";
import { copyIndex } from "../../provider/copy";
import { Throttle } from "../../provider/copy/throttle";

const T0 = 1_000_000;
const later = T0 + SETTLE_MS;

describe("the rate after a look at a task", () => {
  it.each([
    [
      "retries grew on a throttled task: half",
      { retries: 2, changedAt: T0, startRate: 1000 },
      { retries: 5, rate: 1000, measured: 900 },
      500,
    ],
    [
      "retries grew on an unthrottled task: half what it ran at",
      { retries: 0, changedAt: T0 },
      { retries: 3, rate: -1, measured: 4000 },
      2000,
    ],
    [
      "retries grew at the floor: stays",
      { retries: 0, changedAt: T0, startRate: 1000 },
      { retries: 3, rate: MIN_RATE, measured: 10 },
      undefined,
    ],
    [
      "never below the floor",
      { retries: 0, changedAt: T0, startRate: 1000 },
      { retries: 3, rate: 15, measured: 15 },
      MIN_RATE,
    ],
    [
      "no retries, slowed before: doubled",
      { retries: 3, changedAt: T0, startRate: 1000 },
      { retries: 3, rate: 250, measured: 250 },
      500,
    ],
    [
      "no retries, doubling would pass the start rate: the start rate",
      { retries: 3, changedAt: T0, startRate: 1000 },
      { retries: 3, rate: 600, measured: 600 },
      1000,
    ],
    [
      "no retries, at the start rate: stays",
      { retries: 3, changedAt: T0, startRate: 1000 },
      { retries: 3, rate: 1000, measured: 990 },
      undefined,
    ],
    [
      "no retries, unthrottled: stays",
      { retries: 3, changedAt: T0 },
      { retries: 3, rate: -1, measured: 5000 },
      undefined,
    ],
    [
      "no retries, an unthrottled task slowed from 4000 back near it: unthrottled",
      { retries: 3, changedAt: T0, slowedFrom: 4000 },
      { retries: 3, rate: 2000, measured: 1900 },
      Number.POSITIVE_INFINITY,
    ],
  ])("%s", (_what, state, sample, rate) => {
    const change = nextRate(state as PressureState, { ...sample, at: later });
    expect(change?.rate).toBe(rate);
  });

  it("changes nothing within SETTLE_MS of the last change, whatever the retries", () => {
    expect(
      nextRate({ retries: 0, changedAt: T0 }, { retries: 50, rate: 1000, measured: 900, at: T0 + SETTLE_MS - 1 }),
    ).toBeUndefined();
  });
});

describe("a run's backpressure", () => {
  it("rethrottles the task at the destination and says so in a progress line", async () => {
    const sent: any[] = [];
    const dest = { request: async (r: any) => void sent.push(r) } as unknown as Cluster;
    const said: string[] = [];
    const p = new Backpressure(dest, (m) => said.push(m), "reindex orders -> orders");
    await p.observe("n:1", { retries: 0, rate: -1, measured: 3000, at: T0, startedAt: T0 });
    await p.observe("n:1", { retries: 4, rate: -1, measured: 3000, at: later, startedAt: T0 });
    expect(sent).toEqual([
      {
        method: "POST",
        path: "/_reindex/n%3A1/_rethrottle",
        querystring: { requests_per_second: 1500 },
        idempotent: true,
      },
    ]);
    expect(said).toEqual([
      "reindex orders -> orders: slowed task n:1 to 1500 docs/s (4 page(s) rejected with 429 and retried since the last look): the destination or the source is pushing back, the copy goes on slower instead of failing",
    ]);
  });
});

describe("the client copy's writers", () => {
  it("halve their rate when documents are rejected with 429, at most every SETTLE_MS, and double back after", () => {
    const said: string[] = [];
    const t = new Throttle(1000, (m) => said.push(m));
    t.pushedBack(5, T0);
    expect(t.perSecondNow).toBe(500);
    t.pushedBack(5, T0 + 1);
    expect(t.perSecondNow).toBe(500);
    t.pushedBack(5, later);
    expect(t.perSecondNow).toBe(250);
    t.calm(later + SETTLE_MS);
    t.calm(later + 2 * SETTLE_MS);
    t.calm(later + 3 * SETTLE_MS);
    expect(t.perSecondNow).toBe(1000);
    expect(said[0]).toBe(
      "slowed the writers to 500 docs/s (5 document(s) rejected with 429 and sent again): the destination is pushing back, the copy goes on slower instead of failing",
    );
  });

  it("slow down from no limit to half of what they ran at, and say so while the copy goes on to its end", async () => {
    let served = 0;
    const cluster = (answer: (req: ClusterRequest) => any): Cluster =>
      ({
        label: "fake",
        info: async () => ({ flavor: "opensearch", version: "2.19.0", major: 2, minor: 19 }),
        request: async (req: ClusterRequest) => answer(req),
        close: async () => undefined,
      }) as unknown as Cluster;
    const source = cluster((req) => {
      if (req.path.endsWith("/_count")) return { count: 100 };
      if (req.method === "DELETE") return {};
      const n = served++;
      return {
        _scroll_id: "s1",
        _shards: { total: 1, failed: 0 },
        hits: { hits: n >= 2 ? [] : Array.from({ length: 50 }, (_, i) => ({ _id: `d${n * 50 + i}`, _source: { n } })) },
      };
    });
    let rejectedOnce = false;
    const dest = cluster((req) => {
      const ids = (req.body as string)
        .split("\n")
        .filter((line, i) => i % 2 === 0 && line !== "")
        .map((l) => Object.values<any>(JSON.parse(l))[0]._id as string);
      const reject = !rejectedOnce;
      rejectedOnce = true;
      return {
        items: ids.map((id, i) => ({
          index:
            reject && i < 10
              ? { _id: id, status: 429, error: { type: "es_rejected_execution_exception", reason: "queue full" } }
              : { _id: id, status: 201, result: "created" },
        })),
      };
    });
    const said: string[] = [];
    const res = await copyIndex({
      source,
      dest,
      sourceIndex: "s",
      destIndex: "d",
      slices: 1,
      batchSize: 50,
      maxBulkDocs: 50,
      concurrency: 1,
      rejectedBackoffMs: 1,
      onPressure: (m) => said.push(m),
    });
    expect(res).toMatchObject({ created: 100, failed: 0, retries: 10 });
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^slowed the writers to \d+ docs\/s \(10 document\(s\) rejected with 429 and sent again\)/);
  });
});

describe("the tasks running into one destination at once", () => {
  it("drop to half the running ones while a task's retries grow, and come back once none grew for SETTLE_MS", () => {
    const slots = new TaskSlots();
    for (let i = 0; i < 4; i++) expect(slots.take()).toBe(true);
    expect(slots.pushedBack(T0)).toBe(
      "at most 2 task(s) at once into this destination while it pushes back (4 running): partitions not started yet wait for a running task to end",
    );
    expect(slots.take()).toBe(false);
    // Rejections go on: halved again, at most every SETTLE_MS, never below one.
    expect(slots.pushedBack(T0 + 1)).toBeUndefined();
    slots.pushedBack(later);
    expect(slots.limit).toBe(1);
    slots.pushedBack(later + SETTLE_MS);
    expect(slots.limit).toBe(1);
    slots.release();
    slots.release();
    slots.release();
    expect(slots.take()).toBe(false);
    slots.release();
    expect(slots.take()).toBe(true);
    // Quiet: doubled after SETTLE_MS without rejections, then lifted once back at the 4 it started from.
    expect(slots.quiet(later + SETTLE_MS + 1)).toBeUndefined();
    expect(slots.quiet(later + 2 * SETTLE_MS)).toBe(
      "up to 2 task(s) at once into this destination again (no page rejected for 10s)",
    );
    expect(slots.quiet(later + 3 * SETTLE_MS)).toMatch(
      /^as many tasks at once into this destination as the copies ask again/,
    );
    expect(slots.limit).toBeUndefined();
  });
});

describe("a copy into a destination that pushes back", () => {
  it("starts its partitions one at a time while another copy's tasks there retry rejected pages, and says so", async () => {
    // A fake destination running reindex tasks: the tasks into "pushed" report growing retries until `release`,
    // the tasks into "later" end at their second look. Both copies read a fake source of 10 documents.
    let release = false;
    const tasks = new Map<string, { index: string; looks: number }>();
    let running = 0;
    let mostAtOnce = 0;
    const info = async () => ({ flavor: "opensearch", version: "2.19.0", major: 2, minor: 19 });
    const fake = (label: string, answer: (req: ClusterRequest) => unknown): Cluster =>
      ({
        label,
        info,
        request: async (req: ClusterRequest) => answer(req),
        close: async () => undefined,
      }) as unknown as Cluster;
    const source = fake("source http://src.test:9200", (req) => {
      if (req.path.endsWith("/_count")) return { count: 10 };
      if (req.path.endsWith("/_search")) return { aggregations: { min: { value: 0 }, max: { value: 9 } } };
      return {};
    });
    const dest = fake(`destination http://slots-${Date.now()}.test:9200`, (req) => {
      if (req.method === "POST" && req.path === "/_reindex") {
        const index = (req.body as { dest: { index: string } }).dest.index;
        const id = `n:${tasks.size + 1}`;
        tasks.set(id, { index, looks: 0 });
        if (index === "later") mostAtOnce = Math.max(mostAtOnce, ++running);
        return { task: id };
      }
      if (req.method === "GET" && req.path.startsWith("/_tasks/")) {
        const t = tasks.get(decodeURIComponent(req.path.slice("/_tasks/".length)))!;
        t.looks++;
        const done = t.index === "pushed" ? release : t.looks >= 2;
        if (done && t.index === "later" && t.looks === 2) running--;
        const status = {
          total: 5,
          created: done ? 5 : 0,
          retries: { bulk: t.index === "pushed" && t.looks > 1 ? 3 : 0, search: 0 },
        };
        return done
          ? { completed: true, task: { status }, response: { ...status, failures: [] } }
          : { completed: false, task: { status } };
      }
      if (req.path === "/_tasks") return { nodes: {} };
      if (req.path.endsWith("/_count")) return { count: req.method === "POST" && req.body === undefined ? 0 : 10 };
      return {};
    });
    const inputs = (index: string) => {
      const { inputs: i, failures } = validateInputs({
        cluster: { url: "http://dest.test:9200" },
        destIndex: index,
        source: { index, remote: { host: "http://src.test:9200" }, size: 100 },
        partitions: { field: "n", count: 2 },
        verify: "count",
      });
      expect(failures).toEqual([]);
      return i;
    };
    const said: string[] = [];
    const opts = {
      log: { info: (m: string) => void said.push(m), warn: (m: string) => void said.push(m) },
      connect: (_conn: unknown, role: string) => (role === "destination" ? dest : source),
      pollMs: 5,
      versioning: "external" as const,
    };
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(cond()).toBe(true);
    };

    const pushed = runReindex(inputs("pushed"), opts);
    await until(() => taskSlots(dest).limit === 1);
    const later = runReindex(inputs("later"), opts);
    await until(() => said.some((l) => l.includes("reindex later -> later: 2 partition(s) wait to start")));
    expect([...tasks.values()].filter((t) => t.index === "later")).toHaveLength(0);
    release = true;
    expect(await pushed).toMatchObject({ status: "complete" });
    expect(await later).toMatchObject({ status: "complete" });
    // Two partitions, never both at once, while the limit stood.
    expect([...tasks.values()].filter((t) => t.index === "later")).toHaveLength(2);
    expect(mostAtOnce).toBe(1);
    expect(said).toContain(
      "reindex pushed -> pushed: at most 1 task(s) at once into this destination while it pushes back (2 running): partitions not started yet wait for a running task to end",
    );
    expect(
      said.some((l) =>
        /^reindex later -> later: started 1 task\(s\): n:\d+ \(.*\); 1 partition\(s\) wait to start/.test(l),
      ),
    ).toBe(true);
  });
});
