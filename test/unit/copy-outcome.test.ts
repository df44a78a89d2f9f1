import { describe, expect, it } from "vitest";
import { FailureLog, readBulkItems } from "../../provider/copy/outcome";

const ok = (result: string, status = result === "created" ? 201 : 200) => ({ index: { status, result } });

describe("reading a _bulk response", () => {
  it("counts created and updated documents", () => {
    const out = readBulkItems(["a", "b", "c"], { items: [ok("created"), ok("updated"), ok("created")] }, "abort");
    expect(out).toEqual({
      created: 2,
      updated: 1,
      versionConflicts: 0,
      rejected: [],
      rejectedWhy: [],
      failures: [],
      refused: [],
    });
  });

  it("keeps the engine's reason for a refused document, with its cause", () => {
    const out = readBulkItems(
      ["a", "b"],
      {
        items: [
          ok("created"),
          {
            index: {
              status: 400,
              error: {
                type: "mapper_parsing_exception",
                reason: "failed to parse field [n] of type [long]",
                caused_by: { type: "illegal_argument_exception", reason: 'For input string: "x"' },
              },
            },
          },
        ],
      },
      "abort",
    );
    expect(out.failures).toEqual([
      'document b: mapper_parsing_exception: failed to parse field [n] of type [long] (caused by illegal_argument_exception: For input string: "x")',
    ]);
    expect(out.created).toBe(1);
    // The document itself is refused: kept by id with the engine's type, reason and status, to be recorded.
    expect(out.refused).toEqual([
      {
        id: "b",
        type: "mapper_parsing_exception",
        reason:
          'failed to parse field [n] of type [long] (caused by illegal_argument_exception: For input string: "x")',
        status: 400,
      },
    ]);
  });

  it("names as refused documents only what the destination will refuse again: not a conflict, not a rejection", () => {
    const item = (status: number, type: string) => ({ index: { status, error: { type, reason: "r" } } });
    const out = readBulkItems(
      ["pipeline", "large", "conflict", "busy"],
      {
        items: [
          item(400, "illegal_argument_exception"),
          item(413, "too_large"),
          item(409, "version_conflict_engine_exception"),
          item(429, "es_rejected_execution_exception"),
        ],
      },
      "abort",
    );
    expect(out.refused.map((r) => r.id)).toEqual(["pipeline", "large"]);
    expect(out.failures).toHaveLength(3);
    expect(out.rejected).toEqual([3]);
  });

  it("sets 429 rejections apart to send again, with the positions in the batch", () => {
    const rejected = {
      index: {
        status: 429,
        error: { type: "es_rejected_execution_exception", reason: "rejected execution of coordinating operation" },
      },
    };
    const out = readBulkItems(
      ["a", "b", "c", "d"],
      { items: [rejected, ok("created"), rejected, ok("created")] },
      "abort",
    );
    expect(out.rejected).toEqual([0, 2]);
    expect(out.rejectedWhy[1]).toBe(
      "document c: es_rejected_execution_exception: rejected execution of coordinating operation",
    );
    expect(out.failures).toEqual([]);
  });

  it("counts 409 as a version conflict with conflicts: proceed, as a failure otherwise", () => {
    const conflict = {
      create: {
        status: 409,
        error: { type: "version_conflict_engine_exception", reason: "[x]: version conflict, document already exists" },
      },
    };
    expect(readBulkItems(["x"], { items: [conflict] }, "proceed")).toMatchObject({ versionConflicts: 1, failures: [] });
    expect(readBulkItems(["x"], { items: [conflict] }, "abort").failures).toEqual([
      "document x: version_conflict_engine_exception: [x]: version conflict, document already exists",
    ]);
  });

  it("counts every document as failed when the response does not match the request", () => {
    const out = readBulkItems(["a", "b"], { items: [ok("created")] }, "abort");
    expect(out.created).toBe(0);
    expect(out.failures).toHaveLength(2);
    expect(out.failures[0]).toMatch(
      /document a: not acknowledged \(the destination answered 1 item\(s\) for a bulk of 2\)/,
    );
  });
});

describe("failure log", () => {
  it("counts every failure and keeps only the first N", () => {
    const log = new FailureLog(3);
    log.add(["f1", "f2"]);
    log.add(["f3", "f4", "f5"]);
    log.add([]);
    expect(log.count).toBe(5);
    expect(log.kept).toEqual(["f1", "f2", "f3"]);
  });
});
