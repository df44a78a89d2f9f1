import { describe, expect, it } from "vitest";
import { lookbackUnits, nextWatermark, parseDuration, windowQuery, windowStart } from "../../provider/reindex/window";
import { matches } from "./query-eval";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const date = (iso: string) => ({ value: Date.parse(iso), text: iso, date: true });
const num = (value: number) => ({ value, date: false });

describe("incremental windows", () => {
  it.each([
    ["5m", 300_000],
    ["30s", 30_000],
    ["2h", 7_200_000],
    ["1d", 86_400_000],
    ["0s", 0],
    ["250ms", 250],
    ["1.5m", 90_000],
  ])("reads the duration %s as %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["5", "-5m", "5 minutes", "m", "", "5w"])("refuses %j as a duration", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it("takes a number look-back in the field's own units", () => {
    expect(lookbackUnits(60)).toBe(60);
    expect(lookbackUnits("1m")).toBe(60_000);
  });

  it("never moves the watermark past the present for a future-dated document", () => {
    const w = nextWatermark(date("2026-12-01T09:00:00.000Z"), date("2099-01-01T00:00:00.000Z"), NOW);
    expect(w?.value).toBe(NOW);
  });

  it("records the newest value read when it is in the past", () => {
    expect(nextWatermark(undefined, date("2026-12-01T09:59:00.000Z"), NOW)?.value).toBe(
      Date.parse("2026-12-01T09:59:00Z"),
    );
  });

  it("keeps the previous watermark when no document has the field, and never moves back", () => {
    const before = date("2026-12-01T09:00:00.000Z");
    expect(nextWatermark(before, undefined, NOW)).toBe(before);
    expect(nextWatermark(before, date("2026-12-01T08:00:00.000Z"), NOW)).toBe(before);
    expect(nextWatermark(undefined, undefined, NOW)).toBeUndefined();
  });

  it("does not cap numeric fields at the present (they need not be times)", () => {
    expect(nextWatermark(num(10), num(NOW * 10), NOW)?.value).toBe(NOW * 10);
  });

  it("finds ties at the watermark, late arrivals within the look-back and future documents; not older ones", () => {
    const q = windowQuery("ts", undefined, windowStart(num(1000), 100));
    expect([850, 899, 900, 999, 1000, 1001, 10 ** 12].filter((ts) => matches(q, { ts }))).toEqual([
      900,
      999,
      1000,
      1001,
      10 ** 12,
    ]);
    expect(matches(q, { ts: undefined })).toBe(false);
  });

  it("is every document, with the field or without, before the first watermark", () => {
    const q = windowQuery("ts", { term: { tenant: 1 } }, windowStart(undefined, 100));
    expect(matches(q, { ts: undefined, tenant: 1 })).toBe(true);
    expect(matches(q, { ts: 5, tenant: 1 })).toBe(true);
    expect(matches(q, { ts: 5, tenant: 0 })).toBe(false);
  });

  it("writes date window bounds in epoch milliseconds", () => {
    const start = windowStart(date("2026-12-01T09:00:00.000Z"), 300_000);
    expect(start).toEqual({ value: Date.parse("2026-12-01T08:55:00Z"), text: "2026-12-01T08:55:00.000Z", date: true });
    expect(windowQuery("at", undefined, start)).toEqual({
      range: { at: { gte: start!.value, format: "epoch_millis" } },
    });
  });
});
