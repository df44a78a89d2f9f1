// The spike of "other Pulumi languages": two components served to a YAML program by way of a component package
// (PulumiPlugin.yaml, componentProviderHost), each with one dynamic resource child. `Note` has a trivial inline
// provider; `TargetIndex` is the package's own DestinationIndex against a real engine node.
import * as pulumi from "@pulumi/pulumi";
import { DestinationIndex } from "pulumi-es-migrate";

const noteProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: `note-${inputs.text}`, outs: { text: inputs.text } };
  },
};

class NoteRecord extends pulumi.dynamic.Resource {
  declare public readonly text: pulumi.Output<string>;

  constructor(name: string, text: pulumi.Input<string>, opts: pulumi.CustomResourceOptions) {
    super(noteProvider, name, { text }, opts, "es-migrate-spike", "Note");
  }
}

export interface NoteArgs {
  /** Text kept in the dynamic resource's state. */
  text: pulumi.Input<string>;
}

/** A component with one trivial dynamic resource child. */
export class Note extends pulumi.ComponentResource {
  /** The text, as the dynamic resource recorded it. */
  public readonly stored: pulumi.Output<string>;

  constructor(name: string, args: NoteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("es-migrate-spike:index:Note", name, {}, opts);
    this.stored = new NoteRecord(`${name}-note`, args.text, { parent: this }).text;
    this.registerOutputs({ stored: this.stored });
  }
}

export interface TargetIndexArgs {
  /** Destination cluster URL with scheme and port. */
  url: pulumi.Input<string>;
  /** Name of the index to create. */
  index: pulumi.Input<string>;
  /** Primary shards of the index. */
  shards?: pulumi.Input<number>;
  /** While true, destroy fails and the index stays (default true). */
  deletionProtection?: pulumi.Input<boolean>;
}

/** A component with the package's DestinationIndex as its child. */
export class TargetIndex extends pulumi.ComponentResource {
  /** The index name the DestinationIndex recorded. */
  public readonly indexName: pulumi.Output<string>;

  constructor(name: string, args: TargetIndexArgs, opts?: pulumi.ComponentResourceOptions) {
    super("es-migrate-spike:index:TargetIndex", name, {}, opts);
    const index = new DestinationIndex(
      name,
      {
        cluster: pulumi.output(args.url).apply((url) => ({ url })),
        index: args.index,
        settings: pulumi.output(args.shards).apply((shards) => (shards ? { number_of_shards: shards } : {})),
        deletionProtection: args.deletionProtection,
      },
      { parent: this },
    );
    this.indexName = index.index;
    this.registerOutputs({ indexName: this.indexName });
  }
}
