// What state written by 0.1.0 requires from this path (docs/state-and-upgrades.md).
export { sourceConnection } from "../../../provider/reindex/request";
