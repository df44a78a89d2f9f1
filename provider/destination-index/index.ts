// The DestinationIndex resource and its pure pieces (for components and tests).
export { DestinationIndex } from "./resource";
export { destinationIndexProvider } from "./provider";
export { checkInputs as checkDestinationIndexInputs, DEFAULT_LOAD_SETTINGS, indexNameProblems } from "./validate";
export { planDiff, effectiveState, finalSettingsOf, aliasActions } from "./plan";
export type {
  DestinationIndexArgs,
  DestinationIndexInputs,
  DestinationIndexOutputs,
  CopyFromArgs,
  AliasOptions,
} from "./types";
