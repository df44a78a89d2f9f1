// Documents the destination refuses: which task failures are such documents (set aside and recorded, the copy goes
// on) and which are not (the task's failure stands), the reason kept from the engine's answer, the record's id and
// the run's message naming the count and where every one of them is recorded.
import { describe, expect, it } from "vitest";
import { isRefusedDocument, taskFailureItem } from "../../provider/reindex/failures";
import { FAILED_DOCUMENTS_INDEX, recordId, refusedMessage } from "../../provider/reindex/refused";

const mappingConflict = {
  index: "orders",
  id: "7",
  status: 400,
  cause: {
    type: "mapper_parsing_exception",
    reason: "failed to parse field [n] of type [long] in document with id '7'",
    caused_by: { type: "illegal_argument_exception", reason: 'For input string: "x"' },
  },
};

describe("a reindex task's failure", () => {
  it("keeps the document's id, status and the engine's reason with what caused it", () => {
    expect(taskFailureItem(mappingConflict)).toEqual({
      type: "mapper_parsing_exception",
      id: "7",
      status: 400,
      reason:
        "failed to parse field [n] of type [long] in document with id '7' (caused by illegal_argument_exception: For input string: \"x\")",
    });
  });

  it.each([
    ["a mapping conflict (400)", mappingConflict, true],
    [
      "a pipeline that fails the document (400)",
      { id: "8", status: 400, cause: { type: "illegal_argument_exception", reason: "pipeline" } },
      true,
    ],
    [
      "a document too large for the destination (413)",
      { id: "9", status: 413, cause: { type: "too_large", reason: "x" } },
      true,
    ],
    [
      "a version conflict (409: the copy's own rule)",
      { id: "7", status: 409, cause: { type: "version_conflict_engine_exception", reason: "x" } },
      false,
    ],
    [
      "a rejection under load (429: retried, not refused)",
      { id: "7", status: 429, cause: { type: "es_rejected_execution_exception", reason: "x" } },
      false,
    ],
    [
      "a failure of the source's search (no document)",
      { reason: { type: "search_phase_execution_exception", reason: "x" } },
      false,
    ],
  ])("%s is a refused document: %s", (_what, failure, refused) => {
    expect(isRefusedDocument(taskFailureItem(failure))).toBe(refused);
  });
});

describe("the record of a refused document", () => {
  it("has a readable id, hashed when it would pass the engines' 512 bytes", () => {
    expect(recordId("orders", "7")).toBe("orders/7");
    const long = recordId("orders", "x".repeat(600));
    expect(long).toMatch(/^orders\/sha256:[0-9a-f]{64}$/);
    expect(recordId("orders", "y".repeat(600))).not.toBe(long);
  });

  it("is named in the run's message: the count by type, an example, where all of them are and what to do", () => {
    const m = refusedMessage(
      "reindex orders -> orders",
      "orders",
      [taskFailureItem(mappingConflict), { ...taskFailureItem(mappingConflict), id: "8" }],
      false,
    );
    expect(m).toContain("2 document(s) refused by the destination (2 mapper_parsing_exception)");
    expect(m).toContain("e.g. document 7: failed to parse field [n]");
    expect(m).toContain(`GET ${FAILED_DOCUMENTS_INDEX}/_search?q=index:orders`);
    expect(m).toContain("run pulumi up: it copies them again");
  });
});
