// Remote pages sized in bytes: the starting size rule, the "chunk too large" decision and the oversize queries.
import { describe, expect, it } from "vitest";
import {
  afterChunkTooLarge,
  DEFAULT_REMOTE_SIZE,
  isChunkTooLarge,
  REMOTE_BUFFER_BYTES,
  remoteSizeFor,
  startingBatch,
  TARGET_PAGE_BYTES,
} from "../../provider/reindex/batch-size";
import { heldAtLeast } from "../../provider/reindex/copied";
import { MAX_OVERSIZE_IDS, onlyIds, rememberIds, withoutIds } from "../../provider/reindex/oversize";
import { reindexRequest } from "../../provider/reindex/request";
import { validateInputs } from "../../provider/reindex/validate";

const MiB = 1024 * 1024;

describe("remoteSizeFor: documents per page from the average size on disk", () => {
  it("the buffer is the engines' 100 MB constant and a page aims at a quarter of it", () => {
    expect(REMOTE_BUFFER_BYTES).toBe(104_857_600);
    expect(TARGET_PAGE_BYTES).toBe(25 * MiB);
  });

  it.each([
    ["no figures", undefined, DEFAULT_REMOTE_SIZE],
    ["an empty index", { storeBytes: 208, docs: 0 }, DEFAULT_REMOTE_SIZE],
    ["nothing on disk yet", { storeBytes: 0, docs: 10 }, DEFAULT_REMOTE_SIZE],
    ["1 KiB documents: capped at the default", { storeBytes: 1_000_000 * 1024, docs: 1_000_000 }, 1000],
    ["exactly 25 KiB documents: the default", { storeBytes: 1000 * 25 * 1024, docs: 1000 }, 1000],
    ["100 KiB documents", { storeBytes: 1000 * 100 * 1024, docs: 1000 }, 256],
    ["1 MiB documents", { storeBytes: 50 * MiB, docs: 50 }, 25],
    ["5 MiB documents", { storeBytes: 40 * 5 * MiB, docs: 40 }, 5],
    ["40 x 5 MiB and 3 x 60 MiB: average 8.8 MiB", { storeBytes: (40 * 5 + 3 * 60) * MiB, docs: 43 }, 2],
    ["30 MiB documents: at least one", { storeBytes: 30 * MiB, docs: 1 }, 1],
    ["200 MiB documents: at least one", { storeBytes: 200 * MiB, docs: 1 }, 1],
  ])("%s -> %i", (_name, stats, size) => {
    expect(remoteSizeFor(stats)).toBe(size);
  });
});

describe("startingBatch: where a run starts", () => {
  const fiveMiB = { storeBytes: 40 * 5 * MiB, docs: 40 };

  it.each([
    [
      "chosen from the average when size is unset",
      undefined,
      undefined,
      fiveMiB,
      { size: 5, reason: "average document 5.0 MiB on disk, about 25 MiB a page" },
    ],
    [
      "the default when the source's size is unknown",
      undefined,
      undefined,
      undefined,
      { size: 1000, reason: "the default: the source's size on disk is unknown or it is empty" },
    ],
    ["the user's size as given", 50, undefined, undefined, { size: 50, requested: 50, reason: "source.size" }],
    [
      "a smaller size remembered for the same user size",
      50,
      { size: 12, requested: 50, reason: "halved from 25" },
      undefined,
      { size: 12, requested: 50, reason: "kept from the last run: halved from 25" },
    ],
    [
      "not a size remembered for another user size",
      40,
      { size: 12, requested: 50, reason: "halved from 25" },
      undefined,
      { size: 40, requested: 40, reason: "source.size" },
    ],
    [
      "not a remembered user size once size is unset",
      undefined,
      { size: 3, requested: 50, reason: "halved from 6" },
      fiveMiB,
      { size: 5, reason: "average document 5.0 MiB on disk, about 25 MiB a page" },
    ],
    [
      "a smaller chosen size remembered",
      undefined,
      { size: 2, reason: "halved from 5" },
      fiveMiB,
      { size: 2, reason: "kept from the last run: halved from 5" },
    ],
    [
      "the prefix is not repeated",
      undefined,
      { size: 2, reason: "kept from the last run: halved from 5" },
      fiveMiB,
      { size: 2, reason: "kept from the last run: halved from 5" },
    ],
    [
      "not a remembered size larger than today's choice (documents grew)",
      undefined,
      { size: 1000, reason: "the default" },
      fiveMiB,
      { size: 5, reason: "average document 5.0 MiB on disk, about 25 MiB a page" },
    ],
    [
      "not a remembered size that is not a whole number",
      undefined,
      { size: 0, reason: "broken" },
      fiveMiB,
      { size: 5, reason: "average document 5.0 MiB on disk, about 25 MiB a page" },
    ],
  ])("%s", (_name, requested, remembered, stats, expected) => {
    expect(startingBatch(requested, remembered, stats)).toEqual(expected);
  });
});

describe("after a task fails", () => {
  const engineText =
    "illegal_argument_exception: Remote responded with a chunk that was too large. Use a smaller batch size. (caused by content_too_long_exception: entity content is too long [185463385] for the configured buffer limit [104857600])";

  it.each([
    [[engineText], true],
    [[engineText, engineText], true],
    [[], false],
    [["search_context_missing_exception: No search context found for id [12]"], false],
    // Another failure next to it is the user's to see: not retried as a size problem.
    [[engineText, "document 7: mapper_parsing_exception: failed to parse"], false],
  ])("isChunkTooLarge(%j) = %s", (failures, expected) => {
    expect(isChunkTooLarge(failures)).toBe(expected);
  });

  it.each([
    [1000, { halve: 500 }],
    [5, { halve: 2 }],
    [3, { halve: 1 }],
    [2, { halve: 1 }],
    [1, { oversize: true }],
  ])("chunk too large at %i -> %j", (size, next) => {
    expect(afterChunkTooLarge(size)).toEqual(next);
  });

  it("halving from 1000 reaches one document a page in nine steps", () => {
    const sizes: number[] = [];
    for (let size = 1000, step = afterChunkTooLarge(size); "halve" in step; step = afterChunkTooLarge(size))
      sizes.push((size = step.halve));
    expect(sizes).toEqual([500, 250, 125, 62, 31, 15, 7, 3, 1]);
  });
});

describe("documents too large for any page", () => {
  const q = { range: { ts: { gte: 5 } } };

  it("remote tasks leave them out; the client copies only them, within the partition", () => {
    expect(withoutIds(q, [])).toBe(q);
    expect(withoutIds(q, ["a", "b"])).toEqual({ bool: { filter: [q], must_not: [{ ids: { values: ["a", "b"] } }] } });
    expect(onlyIds(q, ["a"])).toEqual({ bool: { filter: [q, { ids: { values: ["a"] } }] } });
  });

  it("the state keeps the newest ids, each once, at most MAX_OVERSIZE_IDS", () => {
    expect(rememberIds(["a", "b"], ["b", "c"])).toEqual(["a", "b", "c"]);
    const many = Array.from({ length: MAX_OVERSIZE_IDS + 5 }, (_, i) => `d${i}`);
    const kept = rememberIds([], many);
    expect(kept).toHaveLength(MAX_OVERSIZE_IDS);
    expect(kept[0]).toBe("d5");
    expect(kept.at(-1)).toBe(`d${MAX_OVERSIZE_IDS + 4}`);
  });

  it("the request carries the run's size, else the user's, else none (the engine's 1000)", () => {
    const { inputs } = validateInputs({
      cluster: { url: "http://127.0.0.1:9200" },
      destIndex: "d",
      source: { index: "s", remote: { host: "http://10.0.0.1:9200" }, size: 50 },
    });
    expect((reindexRequest(inputs, { match_all: {} }, "external", 12).body.source as any).size).toBe(12);
    expect((reindexRequest(inputs, { match_all: {} }).body.source as any).size).toBe(50);
    expect(
      (
        reindexRequest({ ...inputs, source: { ...inputs.source, size: undefined } }, { match_all: {} }).body
          .source as any
      ).size,
    ).toBeUndefined();
  });
});

describe("heldAtLeast: what a failed task copied, left out of the next one", () => {
  it.each([
    ["held in the same version", [["a", 3]], [["a", 3]], ["a"]],
    ["held in a newer version (written since at the destination)", [["a", 3]], [["a", 5]], ["a"]],
    ["held in an older version: copied again", [["a", 3]], [["a", 2]], []],
    ["not held: copied again", [["a", 3]], [], []],
    [
      "several, in the source's order",
      [
        ["b", 1],
        ["a", 1],
        ["c", 2],
      ],
      [
        ["a", 1],
        ["c", 2],
      ],
      ["a", "c"],
    ],
  ] as [string, [string, number][], [string, number][], string[]][])("%s", (_name, source, dest, expected) => {
    expect(heldAtLeast(new Map(source), new Map(dest))).toEqual(expected);
  });
});
