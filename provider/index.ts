// Dynamic resources and the connection layer they share.
export {};
export * from "./destination-index";
export { listSourceIndices, type SourceIndex, type SourceIndexList } from "./indices";
