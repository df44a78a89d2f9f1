// DestinationIndex refresh and a migration's cutover: an alias moved onto the index by MigrationFinish must not be
// reported as the DestinationIndex's drift (the next up would remove it again); declared aliases still are.
import { describe, expect, it } from "vitest";
import { aliasActions, reportedAliases } from "../../provider/destination-index/plan";

describe("DestinationIndex refresh of aliases", () => {
  const live = { logs: { is_write_index: true }, current: {} };

  it("does not report an alias it does not declare (the cutover's), so the next up leaves it", () => {
    const reported = reportedAliases({}, live);
    expect(reported).toEqual({});
    // What the next update would send: nothing, the cutover's alias stays.
    expect(aliasActions("logs-v2", reported as any, {})).toEqual([]);
  });

  it("reports declared aliases as they are live, and a declared one that is gone", () => {
    expect(reportedAliases({ current: {} }, live)).toEqual({ current: {} });
    const reported = reportedAliases({ gone: {} }, live);
    expect(reported).toEqual({});
    expect(aliasActions("logs-v2", reported as any, { gone: {} })).toEqual([
      { add: { index: "logs-v2", alias: "gone" } },
    ]);
  });
});
