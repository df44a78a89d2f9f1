// Which indices are this package's own: the origin a created index carries in its mapping's `_meta` (beside the
// cutover record, under the same key), how an existing index is told apart as an interrupted up's own, and that a
// mapping update or a cutover record never drops what the other wrote there.
import { describe, expect, it } from "vitest";
import {
  isOwnIndex,
  keepingOurMeta,
  originOf,
  withOrigin,
  type IndexOrigin,
} from "../../provider/destination-index/origin";
import type { Cluster } from "../../provider/connection/types";
import { META_KEY, recordOf, withoutRecord, writeRecord } from "../../provider/shared/live-destination";

const AT = "2026-12-07T03:00:00.000Z";
const copyOfOrders: IndexOrigin = { createdAt: AT, copyOf: "orders" };

describe("the origin a created index carries", () => {
  it("goes into _meta beside the application's keys, and reads back", () => {
    const m = withOrigin({ _meta: { owner: "team-a" }, properties: { n: { type: "long" } } }, copyOfOrders);
    expect(m._meta).toEqual({ owner: "team-a", [META_KEY]: { createdAt: AT, copyOf: "orders" } });
    expect(originOf(m)).toEqual(copyOfOrders);
    expect(originOf(withOrigin({}, { createdAt: AT, copyOf: null }))).toEqual({ createdAt: AT, copyOf: null });
  });

  it("is left out of the mapping compared with the declared one, so it never shows as drift", () => {
    const m = withOrigin({ properties: { n: { type: "long" } } }, copyOfOrders);
    expect(withoutRecord(m)).toEqual({ properties: { n: { type: "long" } } });
  });

  it("is not a cutover record, and a cutover record alone is no origin", () => {
    expect(recordOf(withOrigin({}, copyOfOrders))).toBeUndefined();
    expect(originOf({ _meta: { [META_KEY]: { cutoverAt: AT, by: "cutover" } } })).toBeUndefined();
  });
});

describe("an existing index taken over without adoptExisting", () => {
  it.each([
    ["created by this package as the copy of the same source index", copyOfOrders, "orders", true],
    ["declared without copyFrom, by this package", { createdAt: AT, copyOf: null }, undefined, true],
    ["created by this package as the copy of another source index", copyOfOrders, "customers", false],
    ["a copy where this one is declared", copyOfOrders, undefined, false],
    ["made by someone else (no origin)", undefined, "orders", false],
  ])("%s", (_what, origin, copyOf, own) => {
    expect(isOwnIndex(origin as IndexOrigin | undefined, copyOf)).toBe(own);
  });

  it.each([
    ["held by the same group", "cm/group-1-of-4", "cm/group-1-of-4", true],
    ["held by a group, taken by a resource of its own (groups switched off)", "cm/group-1-of-4", undefined, false],
    ["held by a resource of its own, taken by a group (groups switched on)", undefined, "cm/group-1-of-4", false],
    ["held by another migration's group", "cm/group-1-of-4", "other/group-1-of-4", false],
  ])("%s", (_what, held, taking, own) => {
    const origin = withOrigin({}, { ...copyOfOrders, ...(held !== undefined ? { owner: held } : {}) });
    expect(isOwnIndex(originOf(origin), "orders", taking)).toBe(own);
  });
});

describe("a mapping put on an existing index", () => {
  it("keeps our key when it names _meta (an update of _meta replaces the whole object)", () => {
    const put = keepingOurMeta(
      { _meta: { owner: "team-b" } },
      { origin: copyOfOrders, cutover: { at: AT, by: "phase" } },
    );
    expect(put._meta).toEqual({
      owner: "team-b",
      [META_KEY]: { createdAt: AT, copyOf: "orders", cutoverAt: AT, by: "phase" },
    });
  });

  it("is sent as it is when it does not name _meta (the engine keeps what is there)", () => {
    const m = { properties: { n: { type: "long" } } };
    expect(keepingOurMeta(m, { origin: copyOfOrders })).toBe(m);
  });
});

describe("the cutover record written into an index this package created", () => {
  it("keeps the origin beside it", async () => {
    const sent: any[] = [];
    const mappings = withOrigin({ properties: {} }, copyOfOrders);
    const cluster = {
      label: "destination",
      request: async (r: any) => {
        if (r.method === "GET") return { "orders-v2": { mappings } };
        sent.push(r);
        return {};
      },
    } as unknown as Cluster;
    await writeRecord(cluster, "orders-v2", { at: AT, by: "cutover" });
    expect(sent[0].body._meta[META_KEY]).toEqual({ createdAt: AT, copyOf: "orders", cutoverAt: AT, by: "cutover" });
  });
});
