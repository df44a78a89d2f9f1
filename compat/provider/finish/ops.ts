// What state written by 0.1.0 requires from this path (docs/state-and-upgrades.md).
export { aliasHolders, countIndex, isConcreteIndex, readSettings, refreshIndex } from "../../../provider/finish/ops";
