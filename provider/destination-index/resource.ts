// The DestinationIndex resource users declare. The connection objects are stored as secrets (they carry
// passwords or API keys); the provider itself lives in ./provider.
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConnection, ClusterInfo } from "../connection/types";
import type { FlatSettings, Mapping } from "../settings";
import { delegatingProvider } from "../runtime/delegate";
import {
  DESTINATION_INDEX_OUTPUT_ONLY,
  type AliasOptions,
  type CopiedSnapshot,
  type DestinationIndexArgs,
} from "./types";

/**
 * An index on the destination cluster, created from a source index's settings and mappings (`copyFrom`) and/or
 * explicit ones, with load-time settings applied. A static-setting or incompatible mapping change replaces it
 * (the preview says why); dynamic settings, new fields and aliases update in place. Protected from deletion by
 * default.
 */
export class DestinationIndex extends pulumi.dynamic.Resource {
  declare public readonly cluster: pulumi.Output<ClusterConnection>;
  declare public readonly index: pulumi.Output<string>;
  /** The index's UUID: changes when the index is created again (a Reindex keyed on it starts over). */
  declare public readonly uuid: pulumi.Output<string>;
  /** Effective settings (copied + declared, canonical `index.*` keys), without the load settings. */
  declare public readonly settings: pulumi.Output<FlatSettings>;
  /** Effective typeless mappings. */
  declare public readonly mappings: pulumi.Output<Mapping>;
  /** Settings to restore once the data is loaded (e.g. replicas and refresh interval). */
  declare public readonly finalSettings: pulumi.Output<FlatSettings>;
  declare public readonly loadSettings: pulumi.Output<FlatSettings>;
  declare public readonly aliases: pulumi.Output<Record<string, AliasOptions>>;
  declare public readonly deletionProtection: pulumi.Output<boolean>;
  declare public readonly copied: pulumi.Output<CopiedSnapshot | undefined>;
  declare public readonly sourceInfo: pulumi.Output<ClusterInfo | undefined>;
  declare public readonly destInfo: pulumi.Output<ClusterInfo>;
  declare public readonly adopted: pulumi.Output<boolean>;
  /** When the index went live (`{ at, by }`: cutover() or phase "cutover-done"); undefined while it is the migration's. */
  declare public readonly cutover: pulumi.Output<{ at: string; by: "cutover" | "phase" } | undefined>;

  constructor(name: string, args: DestinationIndexArgs, opts?: pulumi.CustomResourceOptions) {
    const copyFrom = args.copyFrom === undefined ? undefined : pulumi.secret(args.copyFrom);
    super(
      delegatingProvider("DestinationIndex"),
      name,
      {
        ...args,
        cluster: pulumi.secret(args.cluster),
        copyFrom,
        ...Object.fromEntries(DESTINATION_INDEX_OUTPUT_ONLY.map((k) => [k, undefined])),
      },
      { ...opts, additionalSecretOutputs: ["cluster", "copyFrom"] },
      "es-migrate",
      "DestinationIndex",
    );
  }
}
