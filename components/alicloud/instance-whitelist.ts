// Puts remote-reindex whitelist entries into the YML of an Alibaba Cloud Elasticsearch instance managed outside
// this program (no `alicloud.elasticsearch.Instance` to merge into), through the UpdateInstanceSettings API.
// Every change of the YML RESTARTS the instance (a rolling restart); the component warns about it at preview.
// Its provider: provider/alicloud/instance-whitelist.ts.
import * as pulumi from "@pulumi/pulumi";
import { type AlibabaApiArgs, SECRET_API_KEYS } from "../../provider/alicloud/api-client";
import { delegatingProvider } from "../../provider/runtime/delegate";
import { secretCredentials } from "./vpc-endpoint";

export interface ElasticsearchInstanceWhitelistArgs extends AlibabaApiArgs {
  /** The Alibaba Cloud Elasticsearch instance whose YML gets the entries. Changing it replaces. */
  instanceId: pulumi.Input<string>;
  /** `host:port` entries to add to `reindex.remote.whitelist` (the component's `whitelistEntries`). */
  entries: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * How long to wait for the instance to be active again after the YML change (the restart), in seconds.
   * Default 3600: a rolling restart of a large instance takes a while.
   */
  timeoutSeconds?: pulumi.Input<number>;
  /** Pause between status polls, in seconds. Default 30. */
  pollIntervalSeconds?: pulumi.Input<number>;
}

/**
 * Adds remote-reindex whitelist entries to the YML of an Alibaba Cloud Elasticsearch instance that is managed
 * elsewhere, through UpdateInstanceSettings. Each create, update or delete that changes the list RESTARTS the
 * instance. Entries that were there before are left in place on delete.
 */
export class ElasticsearchInstanceWhitelist extends pulumi.dynamic.Resource {
  declare public readonly entries: pulumi.Output<string[]>;
  declare public readonly preexisting: pulumi.Output<string[]>;
  declare public readonly whitelist: pulumi.Output<string>;

  constructor(name: string, args: ElasticsearchInstanceWhitelistArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      delegatingProvider("ElasticsearchInstanceWhitelist"),
      name,
      { ...args, ...secretCredentials(args), preexisting: undefined, whitelist: undefined },
      { ...opts, additionalSecretOutputs: [...SECRET_API_KEYS] },
      "alicloud",
      "ElasticsearchInstanceWhitelist",
    );
  }
}
