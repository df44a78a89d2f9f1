// The Elasticsearch instance's PrivateLink endpoint to a service in the user's VPC (v3 network architecture), as a
// resource. Its provider (provider/alicloud/vpc-endpoint.ts) calls the Elasticsearch API with Alibaba's official SDK.
import * as pulumi from "@pulumi/pulumi";
import { type AlibabaApiArgs, SECRET_API_KEYS } from "../../provider/alicloud/api-client";
import { delegatingProvider } from "../../provider/runtime/delegate";

export interface ElasticsearchVpcEndpointArgs extends AlibabaApiArgs {
  /** The Alibaba Cloud Elasticsearch instance (v3 architecture) that gets the endpoint. Changing it replaces. */
  instanceId: pulumi.Input<string>;
  /** The PrivateLink endpoint service in the user's VPC (`alicloud.privatelink.VpcEndpointService` id). Replaces. */
  serviceId: pulumi.Input<string>;
  /** Zone of the endpoint: the zone of the CLB behind the service. Replaces. */
  zoneId: pulumi.Input<string>;
  /**
   * How long create waits for the endpoint to become Active (and delete for it to disappear), in seconds.
   * Default 1200. Pulumi's customTimeouts do not reach dynamic providers, so the deadline lives here.
   */
  timeoutSeconds?: pulumi.Input<number>;
  /** Pause between status polls, in seconds. Default 10. */
  pollIntervalSeconds?: pulumi.Input<number>;
}

/**
 * The PrivateLink endpoint of an Alibaba Cloud Elasticsearch instance (v3) to an endpoint service in the user's VPC.
 * `endpointDomain` is the host the instance uses to reach the service (whitelist `<endpointDomain>:9200`).
 */
export class ElasticsearchVpcEndpoint extends pulumi.dynamic.Resource {
  declare public readonly endpointId: pulumi.Output<string>;
  declare public readonly endpointDomain: pulumi.Output<string>;
  declare public readonly endpointStatus: pulumi.Output<string | undefined>;
  declare public readonly connectionStatus: pulumi.Output<string | undefined>;

  constructor(name: string, args: ElasticsearchVpcEndpointArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      delegatingProvider("ElasticsearchVpcEndpoint"),
      name,
      {
        ...args,
        ...secretCredentials(args),
        endpointId: undefined,
        endpointDomain: undefined,
        endpointName: undefined,
        endpointStatus: undefined,
        connectionStatus: undefined,
      },
      { ...opts, additionalSecretOutputs: [...SECRET_API_KEYS] },
      "alicloud",
      "ElasticsearchVpcEndpoint",
    );
  }
}

/** Wraps the credential inputs in secrets, so they are encrypted in the state. */
export function secretCredentials(
  args: AlibabaApiArgs,
): Partial<Record<(typeof SECRET_API_KEYS)[number], pulumi.Output<string>>> {
  const out: Partial<Record<(typeof SECRET_API_KEYS)[number], pulumi.Output<string>>> = {};
  for (const key of SECRET_API_KEYS) {
    const v = args[key];
    if (v !== undefined) out[key] = pulumi.secret(v);
  }
  return out;
}
