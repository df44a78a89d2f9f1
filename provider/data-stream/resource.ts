// The DataStream resource users declare: a data stream at the destination, with the composable index template it
// is created from.
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConnection } from "../connection/types";
import { delegatingProvider } from "../runtime/delegate";

type In<T> = pulumi.Input<T>;

export interface DataStreamArgs {
  /** The destination cluster: URL with scheme and port, and credentials. Stored as a secret. Another URL makes another stream. */
  cluster: In<ClusterConnection>;
  /** The data stream's name at the destination. Another name makes another stream (the old one stays). */
  name: In<string>;
  /**
   * Create the stream from the source stream's composable index template and the component templates it is composed
   * of (read at every preview, so a changed source template updates the destination's): `{ cluster, name? }`, the
   * source stream's name defaulting to `name`. Elasticsearch ILM settings are left out for OpenSearch (and ISM ones
   * for Elasticsearch), and said so.
   */
  copyFrom?: In<{ cluster: In<ClusterConnection>; name?: In<string> }>;
  /**
   * The template declared instead: `{ name, body, components? }`, body as `PUT _index_template` takes it
   * (index_patterns matching the stream, `data_stream: {}`), components by name as `PUT _component_template` takes them.
   */
  template?: In<{
    name: In<string>;
    body: In<Record<string, unknown>>;
    components?: In<Record<string, In<Record<string, unknown>>>>;
  }>;
  /**
   * Default true: this resource puts the template (and its component templates) and keeps it as declared. False: the
   * template is another resource's (e.g. an IndexTemplate the stream `dependsOn`); the stream is created from the
   * destination's template as it stands, and this resource neither puts nor compares it (then neither copyFrom nor
   * template is needed).
   */
  manageTemplate?: boolean;
  /** Take over a stream that already exists at the destination (and keep a template of the same name with another body). Default false. */
  adoptExisting?: In<boolean>;
  /**
   * "sync" (default) or "cutover-done": the destination is live, and from then on this resource writes nothing to it
   * (no template put, no stream created again), so what the application changes there stays.
   */
  phase?: In<"sync" | "cutover-done">;
}

/**
 * A data stream at the destination: its component and index templates put first (missing ones created, ones of the
 * same body taken as they are, another body a preview error unless adoptExisting), then `PUT _data_stream/<name>`.
 * A changed template is put again in place. Delete leaves the stream, its documents and its templates (it never
 * deletes data). Fill it with a Reindex `{ destIndex: stream.name, destIndexUuid: stream.uuid, dataStream: true }`.
 */
export class DataStream extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  /** The uuid of the stream's first backing index when created or adopted (a recreated stream has another). */
  declare readonly uuid: pulumi.Output<string>;
  /** The field every document carries its time in: the copy's incremental windows follow it. */
  declare readonly timestampField: pulumi.Output<string>;
  /** Backing indices when last read, oldest first. */
  declare readonly backingIndices: pulumi.Output<string[]>;
  /** The template the destination created the stream from. */
  declare readonly templateName: pulumi.Output<string>;
  /** True when the stream existed before and was taken over. */
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: DataStreamArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      uuid: undefined,
      timestampField: undefined,
      backingIndices: undefined,
      templateName: undefined,
      adopted: undefined,
    };
    const copyFrom = args.copyFrom === undefined ? undefined : pulumi.secret(args.copyFrom);
    super(
      delegatingProvider("DataStream"),
      name,
      { ...args, cluster: pulumi.secret(args.cluster), copyFrom, ...outputs },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "cluster", "copyFrom"] },
      "es-migrate",
      "DataStream",
    );
  }
}
