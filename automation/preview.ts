// What a preview's engine events say about each migrated index: the Reindex (or MigratedIndex) provider prints
// one diagnostic line per finding, "reindex <source> -> <dest>: <finding>", attached to its resource; the count of
// documents waiting is the first number of the "document(s) waiting at the source" finding. Pure: tested with
// recorded events in test/unit/automation-preview.test.ts.
import type { EngineEvent } from "@pulumi/pulumi/automation";

/** The preview's findings for one source -> destination copy. */
export interface PreviewFindings {
  documentsWaiting?: number;
  lines: string[];
}

const WAITING = /^([\d,]+) document\(s\) waiting at the source/;

/** The key findings are filed under. */
export const copyKey = (sourceIndex: string, destIndex: string) => `${sourceIndex} -> ${destIndex}`;

/** Per copy ("source -> dest"), the preview's lines and the documents waiting, from the diagnostic events. */
export function findingsByCopy(events: EngineEvent[]): Map<string, PreviewFindings> {
  const out = new Map<string, PreviewFindings>();
  for (const event of events) {
    const message = event.diagnosticEvent?.message;
    if (message === undefined) continue;
    for (const line of message.split("\n")) {
      const match = /^reindex (\S+) -> (\S+): (.*)$/.exec(line.trim());
      if (match === null) continue;
      const key = copyKey(match[1], match[2]);
      const findings = out.get(key) ?? { lines: [] };
      findings.lines.push(line.trim());
      const waiting = WAITING.exec(match[3]);
      if (waiting !== null)
        findings.documentsWaiting = (findings.documentsWaiting ?? 0) + Number(waiting[1].replace(/,/g, ""));
      out.set(key, findings);
    }
  }
  return out;
}

/** The resources a preview or an up would change (every step but "same"), in event order. */
export function plannedChanges(events: EngineEvent[]): { urn: string; op: string }[] {
  const out: { urn: string; op: string }[] = [];
  for (const event of events) {
    const step = event.resourcePreEvent?.metadata;
    if (step !== undefined && step.op !== "same") out.push({ urn: step.urn, op: step.op });
  }
  return out;
}
