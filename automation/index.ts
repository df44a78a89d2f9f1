// `pulumi-es-migrate/automation`: the last step of a migration from a script driving the stack through Pulumi's
// Automation API (see docs/automation.md).
export { cutover, planCutover, CutoverError } from "./cutover";
export { CutoverConfigError } from "./validate";
export { findingsByCopy, plannedChanges, type PreviewFindings } from "./preview";
export type {
  CutoverIndex,
  CutoverIndexReport,
  CutoverOptions,
  CutoverPhase,
  CutoverPlan,
  CutoverReport,
  PlannedIndex,
} from "./types";
