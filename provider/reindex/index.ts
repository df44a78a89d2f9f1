// The Reindex resource and the pure pieces other modules (components, tests, benchmarks) reuse.
export {
  Reindex,
  type ReindexArgs,
  type ReindexSourceArgs,
  type ReindexRemoteArgs,
  type ReindexModeArgs,
} from "./resource";
export { reindexProvider } from "./provider";
export { runReindex, ReindexRunError, type RunLog, type RunOptions } from "./run";
export type { ReindexInputs, ReindexOutputs, ReindexResults, PartitionState } from "./types";
