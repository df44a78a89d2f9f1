// The engine's structured events, as `pulumi <command> --event-log <file>` writes them (one JSON object a line; the
// same events the Automation API hands to `onEvent`): what each resource's step was, the diagnostics, the summary.
// Tests read results from these instead of regular expressions over the CLI's human-readable text.

/** One resource step (a `resourcePreEvent`): the operation planned or applied to it. */
export interface EngineStep {
  /** "create", "update", "same", "delete", "replace", "create-replacement", "refresh", ... */
  op: string;
  urn: string;
  type: string;
  /** The resource's name (the URN's last part). */
  name: string;
  /** Properties that differ (update) and that force a replacement. */
  diffs: string[];
  replaces: string[];
}

/** A diagnostic the engine or a provider reported (debug lines left out). */
export interface EngineDiagnostic {
  severity: "info" | "info#err" | "warning" | "error" | string;
  /** The text without trailing newlines. */
  message: string;
  /** The resource it is about, when the engine knows it. */
  urn?: string;
}

/** What a run's events say. */
export interface EngineEvents {
  events: any[];
  steps: EngineStep[];
  diagnostics: EngineDiagnostic[];
  /** The summary's resource changes by operation, e.g. `{ create: 2, same: 1 }` ({} when no summary was written). */
  changes: Record<string, number>;
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** Parses an event log (JSON lines; a torn last line, from a killed run, is ignored). */
export function parseEngineEvents(text: string): EngineEvents {
  const events: any[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      events.push(JSON.parse(line));
    } catch {
      // an unfinished last line
    }
  }
  const steps: EngineStep[] = [];
  const diagnostics: EngineDiagnostic[] = [];
  let changes: Record<string, number> = {};
  for (const e of events) {
    const step = e.resourcePreEvent?.metadata;
    if (step !== undefined)
      steps.push({
        op: step.op,
        urn: step.urn,
        type: step.type,
        name: nameOf(step.urn),
        diffs: step.diffs ?? [],
        replaces: step.keys ?? [],
      });
    const diag = e.diagnosticEvent;
    if (diag !== undefined && diag.severity !== "debug")
      diagnostics.push({
        severity: diag.severity,
        message: String(diag.message).replace(/\n+$/, ""),
        ...(diag.urn ? { urn: diag.urn } : {}),
      });
    if (e.summaryEvent !== undefined) changes = e.summaryEvent.resourceChanges ?? {};
  }
  return { events, steps, diagnostics, changes };
}

/** The operation of the resource named `name` (its last step), or undefined when the run had no step for it. */
export function opOf(events: EngineEvents, name: string): string | undefined {
  return events.steps.filter((s) => s.name === name).pop()?.op;
}

/** Every step whose operation is not "same", as `name: op` (resource providers and the stack left out). */
export function changedSteps(events: EngineEvents): string[] {
  return events.steps.filter((s) => s.op !== "same" && !s.type.startsWith("pulumi:")).map((s) => `${s.name}: ${s.op}`);
}

/** The diagnostics' lines (a message may hold several), of one severity when given, e.g. to find a provider's line. */
export const messages = (events: EngineEvents, severity?: string) =>
  events.diagnostics
    .filter((d) => severity === undefined || d.severity === severity)
    .flatMap((d) => d.message.split("\n"));
