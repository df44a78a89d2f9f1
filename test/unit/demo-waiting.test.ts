// The demo's and the bench's reading of a preview: the documents the copies say are waiting, summed once per line
// (the CLI prints each line twice), counts with thousands separators included.
import { describe, expect, it } from "vitest";
import { waitingTotal } from "../../scripts/demo/cli";

const line = (index: string, n: string) =>
  `reindex ${index} -> ${index}: ${n} document(s) waiting at the source in the window from 2024-05-01T05:33:19.000Z minus 5m: 1 new, 0 changed`;

describe("waitingTotal", () => {
  it.each([
    ["no line", "Resources:\n    6 unchanged", 0],
    ["one line printed twice", `${line("a", "25")}\nDiagnostics:\n    ${line("a", "25")}`, 25],
    ["counts of thousands", `${line("a", "2,500")}\n${line("b", "1,002,500")}`, 1_005_000],
  ])("%s: %s", (_what, output, total) => {
    expect(waitingTotal(output)).toBe(total);
  });
});
