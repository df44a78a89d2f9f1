// Index settings and mappings: the rule tables and the pure functions that copy, normalize and classify them.
export * from "./rules";
export * from "./normalize";
export {
  settingsFromSource,
  typeless,
  describe as describeCluster,
  type CopiedSettings,
  type DroppedSetting,
} from "./copy";
export * from "./mappings";
export * from "./classify";
export { formatProblems, jodaFormatWarnings, type FormatWarning } from "./joda";
export { HELD_DURING_LOAD, loadHolds, namedPipelines, namesPipeline } from "./holds";
