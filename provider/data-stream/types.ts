// DataStream's shapes: what the provider sees after check (Inputs, plain) and what it records (Outputs).
import type { ClusterConnection } from "../connection/types";
import type { Phase } from "../shared/live-destination";
import type { StreamTemplate } from "./template";

export interface DataStreamInputs {
  /** The destination cluster. */
  cluster: ClusterConnection;
  /** The data stream's name at the destination. */
  name: string;
  /** The source's data stream whose template this one is created from (its name defaults to `name`). */
  copyFrom?: { cluster: ClusterConnection; name?: string };
  /** The composable template (and its component templates): declared, or read from copyFrom at check. */
  template?: StreamTemplate;
  /** Take over a data stream (and a template of another body) that already exist at the destination. */
  adoptExisting?: boolean;
  /** False: the template is another resource's; the stream is created from the destination's (never put or compared here). */
  manageTemplate?: false;
  /** "cutover-done": the destination is live; nothing is written to it anymore. */
  phase?: Phase;
}

export interface DataStreamOutputs extends DataStreamInputs {
  /**
   * The uuid of the stream's first backing index when this resource created or adopted it: a stream deleted and
   * created again has another, so a copy keyed on it (Reindex.destIndexUuid) runs again in full.
   */
  uuid: string;
  /** The field every document carries its time in (`@timestamp` unless OpenSearch was told otherwise). */
  timestampField: string;
  /** Backing indices when last read, oldest first. */
  backingIndices: string[];
  /** The template the destination created the stream from (`template` of `GET _data_stream`). */
  templateName: string;
  /** True when the stream existed before this resource and was taken over. */
  adopted: boolean;
}
