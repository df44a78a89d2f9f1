// What state written by 0.1.0 requires from this path (docs/state-and-upgrades.md).
export {
  aliasActions,
  createSettings,
  effectiveState,
  finalSettingsOf,
  isLoading,
  planDiff,
  reportedAliases,
  reportedSettings,
  sameSource,
} from "../../../provider/destination-index/plan";
