// Backpressure of remote reindex tasks: when the engine's retry counts grow (pages rejected with 429 and retried),
// the task is slowed by half, no more often than every SETTLE_MS, never below MIN_RATE; without rejections it is let
// faster again up to where it started. And what the copy says when it does.
import { describe, expect, it } from "vitest";
import { Backpressure, MIN_RATE, nextRate, SETTLE_MS, type PressureState } from "../../provider/reindex/backpressure";
import type { Cluster } from "../../provider/connection/types";

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
