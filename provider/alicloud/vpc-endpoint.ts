// The dynamic provider of `ElasticsearchVpcEndpoint` (components/alicloud): the Elasticsearch instance's PrivateLink
// endpoint to a service in the user's VPC (v3 network architecture). `@pulumi/alicloud` has no resource for it: this
// provider calls the Elasticsearch API (CreateVpcEndpoint / ListVpcEndpoints / DeleteVpcEndpoint) with Alibaba's
// official SDK.
import type * as pulumi from "@pulumi/pulumi";
import {
  type AlibabaApiInputs,
  type ElasticsearchClient,
  apiInputsOf,
  clientToken,
  createClient,
  describeApiError,
  errorCode,
  loadSdk,
} from "./api-client";
import { isUnknown } from "../connection/unknown";
import { pollUntil } from "../shared/poll";
import { initError } from "../shared/results";

export interface ElasticsearchVpcEndpointInputs extends AlibabaApiInputs {
  instanceId: string;
  serviceId: string;
  zoneId: string;
  timeoutSeconds?: number;
  pollIntervalSeconds?: number;
}

export interface ElasticsearchVpcEndpointOutputs extends ElasticsearchVpcEndpointInputs {
  endpointId: string;
  /** e.g. "ep-bp1....privatelink.aliyuncs.com": what the instance's reindex whitelist and remote host use. */
  endpointDomain: string;
  endpointName?: string;
  endpointStatus?: string;
  connectionStatus?: string;
}

/** One endpoint as ListVpcEndpoints reports it. */
interface EndpointInfo {
  endpointId?: string;
  endpointDomain?: string;
  endpointName?: string;
  endpointStatus?: string;
  connectionStatus?: string;
  serviceId?: string;
}

const REPLACE_ON = ["instanceId", "serviceId", "zoneId", "region"] as const;
const DEFAULT_TIMEOUT_S = 1200;
const DEFAULT_POLL_S = 10;
const PAGE_SIZE = 50;

/** Lists every endpoint of the instance (the API pages). */
export async function listEndpoints(client: ElasticsearchClient, instanceId: string): Promise<EndpointInfo[]> {
  const sdk = loadSdk();
  const all: EndpointInfo[] = [];
  for (let page = 1; page <= 100; page++) {
    let res;
    try {
      res = await client.listVpcEndpoints(instanceId, new sdk.ListVpcEndpointsRequest({ page, size: PAGE_SIZE }));
    } catch (err) {
      throw new Error(describeApiError(`ListVpcEndpoints(${instanceId})`, err));
    }
    const items = (res.body?.result ?? []) as EndpointInfo[];
    all.push(...items);
    if (items.length < PAGE_SIZE) break;
  }
  return all;
}

/** Polls until the endpoint is Active; returns it. Throws on timeout or when it disappears. */
export async function waitForActive(
  client: ElasticsearchClient,
  instanceId: string,
  endpointId: string,
  timeoutS: number,
  pollS: number,
): Promise<EndpointInfo> {
  return pollUntil({
    read: async () => {
      const found = (await listEndpoints(client, instanceId)).find((e) => e.endpointId === endpointId);
      if (!found)
        throw new Error(`endpoint ${endpointId} of ${instanceId} disappeared while waiting for it to become Active`);
      return found;
    },
    done: (e) => e.endpointStatus === "Active",
    deadline: Date.now() + timeoutS * 1000,
    intervalMs: pollS * 1000,
    onTimeout: (last) =>
      new Error(
        `endpoint ${endpointId} of ${instanceId} is still ${last.endpointStatus ?? "unknown"} (connection ${last.connectionStatus ?? "unknown"}) after ${timeoutS}s; ` +
          "if the connection is Pending, the endpoint service does not auto-accept: accept it or set endpointService.autoAcceptConnection",
      ),
  });
}

function outputsOf(inputs: ElasticsearchVpcEndpointInputs, e: EndpointInfo): ElasticsearchVpcEndpointOutputs {
  return {
    ...inputs,
    ...apiInputsOf(inputs),
    endpointId: e.endpointId ?? "",
    endpointDomain: e.endpointDomain ?? "",
    endpointName: e.endpointName,
    endpointStatus: e.endpointStatus,
    connectionStatus: e.connectionStatus,
  };
}

export const vpcEndpointProvider: pulumi.dynamic.ResourceProvider<
  ElasticsearchVpcEndpointInputs,
  ElasticsearchVpcEndpointOutputs
> = {
  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const key of ["instanceId", "serviceId", "zoneId", "region"] as const) {
      const v = news[key];
      if (!isUnknown(v) && (typeof v !== "string" || v.trim() === ""))
        failures.push({ property: key, reason: `${key} is required` });
    }
    if (news.apiProtocol !== undefined && news.apiProtocol !== "HTTPS" && news.apiProtocol !== "HTTP") {
      failures.push({ property: "apiProtocol", reason: 'apiProtocol must be "HTTPS" or "HTTP"' });
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replaces = REPLACE_ON.filter((k) => olds[k] !== news[k]);
    const changed = (Object.keys(news) as Array<keyof ElasticsearchVpcEndpointInputs>).some((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs) {
    const client = createClient(inputs);
    const sdk = loadSdk();
    const timeoutS = inputs.timeoutSeconds ?? DEFAULT_TIMEOUT_S;
    const pollS = inputs.pollIntervalSeconds ?? DEFAULT_POLL_S;
    // A retried `pulumi up` after an interrupted create finds the endpoint it made before instead of adding one.
    const existing = (await listEndpoints(client, inputs.instanceId)).find(
      (e) => e.serviceId === inputs.serviceId && e.endpointStatus !== "Deleting",
    );
    let endpointId = existing?.endpointId;
    if (!endpointId) {
      try {
        const res = await client.createVpcEndpoint(
          inputs.instanceId,
          new sdk.CreateVpcEndpointRequest({
            serviceId: inputs.serviceId,
            zoneId: inputs.zoneId,
            clientToken: clientToken(),
          }),
        );
        endpointId = res.body?.result?.endpointId;
      } catch (err) {
        throw new Error(describeApiError(`CreateVpcEndpoint(${inputs.instanceId}, service ${inputs.serviceId})`, err));
      }
      if (!endpointId) throw new Error(`CreateVpcEndpoint(${inputs.instanceId}) returned no endpointId`);
    }
    try {
      const active = await waitForActive(client, inputs.instanceId, endpointId, timeoutS, pollS);
      return { id: endpointId, outs: outputsOf(inputs, active) };
    } catch (err) {
      // The endpoint exists: hand its id back so the engine keeps it (and the next `up` or `destroy` can act on it).
      throw initError((err as Error).message, endpointId, { ...outputsOf(inputs, { endpointId }) });
    }
  },

  async read(id, props) {
    if (!props) throw new Error(`reading endpoint ${id} needs its recorded properties (import is not supported)`);
    const client = createClient(props);
    const found = (await listEndpoints(client, props.instanceId)).find((e) => e.endpointId === id);
    if (!found) return { id: undefined as unknown as string, props: {} as ElasticsearchVpcEndpointOutputs };
    return { id, props: outputsOf(props, found) };
  },

  async update(_id, olds, news) {
    // Only non-replacing inputs (timeouts, credentials, API endpoint) can change here: nothing to call.
    return { outs: { ...olds, ...news, ...apiInputsOf(news) } };
  },

  async delete(id, props) {
    const client = createClient(props);
    const sdk = loadSdk();
    try {
      await client.deleteVpcEndpoint(
        props.instanceId,
        id,
        new sdk.DeleteVpcEndpointRequest({ clientToken: clientToken() }),
      );
    } catch (err) {
      const code = errorCode(err) ?? "";
      if (/NotFound|NotExist/i.test(code)) return;
      throw new Error(describeApiError(`DeleteVpcEndpoint(${props.instanceId}, ${id})`, err));
    }
    // The CLB and endpoint service it points at can only be removed once the endpoint is gone.
    await pollUntil({
      read: async () => (await listEndpoints(client, props.instanceId)).some((e) => e.endpointId === id),
      done: (listed) => !listed,
      deadline: Date.now() + (props.timeoutSeconds ?? DEFAULT_TIMEOUT_S) * 1000,
      intervalMs: (props.pollIntervalSeconds ?? DEFAULT_POLL_S) * 1000,
      onTimeout: () => new Error(`endpoint ${id} of ${props.instanceId} is still listed after DeleteVpcEndpoint`),
    });
  },
};
