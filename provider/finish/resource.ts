// The MigrationFinish resource users (and IndexMigration) declare after a copy. The connection is stored as a
// secret; the provider itself lives in ./provider.
import * as pulumi from "@pulumi/pulumi";
import type { FlatSettings } from "../settings";
import { delegatingProvider } from "../runtime/delegate";
import { FINISH_OUTPUT_ONLY, type MigrationFinishArgs } from "./types";

/**
 * Finishes a copy into an index: restores its final settings (replicas, refresh interval), refreshes, counts,
 * verifies against the source count and, when `alias` is given, moves the alias to the index in one atomic
 * `POST _aliases` (cutover). Runs again whenever `trigger` (the copy's run identity) changes. Delete leaves the
 * data, the settings and the alias as they are.
 */
export class MigrationFinish extends pulumi.dynamic.Resource {
  declare public readonly index: pulumi.Output<string>;
  /** Documents in the index after the refresh. */
  declare public readonly destCount: pulumi.Output<number>;
  /** The source count compared against (null: no verification asked). */
  declare public readonly sourceCount: pulumi.Output<number | null>;
  /** True when a source count was given and the index holds at least as many documents. */
  declare public readonly verified: pulumi.Output<boolean>;
  /** Indices the alias was taken from by the last run. */
  declare public readonly aliasMovedFrom: pulumi.Output<string[]>;
  /** The final settings' keys as they are live (refresh shows drift here). */
  declare public readonly settings: pulumi.Output<FlatSettings>;
  /** Indices holding the alias, as last seen. */
  declare public readonly aliasIndices: pulumi.Output<string[]>;
  /** When the index went live (`{ at, by }`): the finish no longer runs. */
  declare public readonly cutover: pulumi.Output<{ at: string; by: "cutover" | "phase" } | undefined>;

  constructor(name: string, args: MigrationFinishArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      delegatingProvider("MigrationFinish"),
      name,
      {
        ...args,
        cluster: pulumi.secret(args.cluster),
        ...Object.fromEntries(FINISH_OUTPUT_ONLY.map((k) => [k, undefined])),
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "cluster"] },
      "es-migrate",
      "MigrationFinish",
    );
  }
}
