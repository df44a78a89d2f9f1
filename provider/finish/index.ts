// The MigrationFinish resource and its pure pieces (for components and tests).
export { MigrationFinish } from "./resource";
export { migrationFinishProvider, finishChanges, runFinish } from "./provider";
export { checkFinishInputs } from "./validate";
export {
  aliasMoveActions,
  liveView,
  missingPipelineProblem,
  settingsDrift,
  verification,
  type AliasHolders,
} from "./plan";
export type {
  MigrationFinishArgs,
  MigrationFinishInputs,
  MigrationFinishOutputs,
  MigrationFinishResults,
} from "./types";
