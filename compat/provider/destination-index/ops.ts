// What state written by 0.1.0 requires from this path (docs/state-and-upgrades.md).
export {
  createIndex,
  deleteIndex,
  putMapping,
  putSettings,
  readIndex,
  readSource,
  updateAliases,
} from "../../../provider/destination-index/ops";
