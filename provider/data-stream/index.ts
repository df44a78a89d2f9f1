// A data stream at the destination (its template first, then the stream): `DataStream`.
export { DataStream, type DataStreamArgs } from "./resource";
export { dataStreamProvider } from "./provider";
export type { StreamTemplate } from "./template";
