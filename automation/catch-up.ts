// How many catch-up `up`s a cutover runs before it blocks writes. Each catch-up copies what arrived during the one
// before it, so the documents it copied are what waited when it started: another runs while that keeps shrinking,
// up to a bound, and stops once it is small enough to copy inside the freeze. Pure: tested in test/unit/automation.test.ts.
import { runFingerprint } from "../provider/reindex/final-result";
import type { CopyOutputs } from "./copies";

/** Whether another catch-up runs, given the documents each catch-up so far copied (undefined: not known). */
export function anotherCatchUp(copied: (number | undefined)[], opts: { maxCatchUps: number; smallDelta: number }) {
  if (copied.length === 0) return true;
  if (copied.length >= opts.maxCatchUps) return false;
  const last = copied[copied.length - 1];
  const before = copied.length > 1 ? copied[copied.length - 2] : undefined;
  if (last === undefined || last <= opts.smallDelta) return false;
  return before === undefined || last < before;
}

/**
 * The documents one catch-up copied, from each copy's outputs before and after it: what its run created and updated,
 * nothing when the copy did not run. Undefined when a copy's outputs are not known.
 */
export function documentsCopied(runs: { before?: CopyOutputs; after?: CopyOutputs }[]): number | undefined {
  let sum = 0;
  for (const { before, after } of runs) {
    if (after === undefined) return undefined;
    if (before !== undefined && runFingerprint(before) === runFingerprint(after)) continue;
    if (after.created === undefined || after.updated === undefined) return undefined;
    sum += after.created + after.updated;
  }
  return sum;
}

/**
 * Why the cutover must not block writes: the documents waiting (per copy, as the preview after the catch-ups counts
 * them) are more than `maxFinalDelta`. Undefined when the final copy is small enough, or no limit is set.
 */
export function finalDeltaRefusal(
  waiting: { copy: string; documents: number }[],
  opts: { maxFinalDelta?: number },
  catchUps: (number | undefined)[],
): string | undefined {
  if (opts.maxFinalDelta === undefined) return undefined;
  const total = waiting.reduce((sum, w) => sum + w.documents, 0);
  if (total <= opts.maxFinalDelta) return undefined;
  const n = (x: number) => x.toLocaleString("en-US");
  const perCopy = waiting.filter((w) => w.documents > 0).map((w) => `${w.copy} ${n(w.documents)}`);
  const ran =
    catchUps.length === 0
      ? "no catch-up ran (catchUp: false)"
      : `the catch-up ups copied ${catchUps.map((c) => (c === undefined ? "an unknown number of" : n(c))).join(", then ")} document(s)`;
  return (
    `the final copy would move ${n(total)} document(s) (${perCopy.join(", ")}), more than maxFinalDelta ${n(opts.maxFinalDelta)}, ` +
    `so writes were not blocked: ${ran}. Cut over when the application writes less, or raise maxFinalDelta (the freeze lasts about as long as the final copy)`
  );
}
