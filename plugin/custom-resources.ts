// The plugin's custom resources (DestinationIndex, Reindex, MigrationFinish, ...): each method calls the provider
// object a TypeScript program's dynamic resource runs (`provider(name)` of the package's runtime entry), so checks,
// defaults, errors, diffs and state are the same. What Pulumi's dynamic-provider host does around those objects,
// this adapter does for the provider SDK:
// - secret values arrive wrapped (`{ <sig>: <secret sig>, value }`): the providers get them unwrapped;
// - what the providers return is plain: every top-level property that held a secret going in is marked secret again
//   coming out (check's inputs, create/update/read's outputs), so no password reaches the state in plain text;
// - `undefined` fields are dropped (protobuf's Struct refuses them);
// - what the providers print reaches the user (./engine-log).
import { PACKAGE } from "./served-resources";
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { PROVIDER_NAMES, provider as packageProvider } from "../provider/runtime";
import { asDeclared } from "./declared-resources";
import { forwardConsoleToEngine, logged } from "./engine-log";

type Props = Record<string, unknown>;

/** The type name of the resource at `urn` (`...::es-migrate:index:Reindex::name`: "Reindex"), if the package's. */
function typeNameOf(urn: string): string {
  const type = urn.split("::")[2].split("$").pop()!;
  const [pkg, , name] = type.split(":");
  if (pkg !== PACKAGE || !PROVIDER_NAMES.includes(name))
    throw new Error(`${PACKAGE} serves no resource type ${type} (it serves ${PROVIDER_NAMES.join(", ")})`);
  return name;
}

/** The package's provider serving the resource of `urn`. */
const providerOf = (urn: string): pulumi.dynamic.ResourceProvider => packageProvider(typeNameOf(urn));

const isSecret = (value: unknown): boolean => pulumi.runtime.isRpcSecret(value);

/** The value with every secret wrapper removed, at any depth. */
export function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal(pulumi.runtime.unwrapRpcSecret(value));
  if (Array.isArray(value)) return value.map(reveal);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
}

function holdsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (value === null || typeof value !== "object") return false;
  return Object.values(value).some(holdsSecret);
}

/** The top-level properties of `props` holding a secret anywhere inside. */
export function secretKeys(props: Props | undefined): Set<string> {
  return new Set(Object.entries(props ?? {}).flatMap(([k, v]) => (holdsSecret(v) ? [k] : [])));
}

/** Plain `values` (no `undefined`), the properties named in `secrets` wrapped as secrets. */
export function marked(values: unknown, secrets: Set<string>): Props {
  const plain = JSON.parse(JSON.stringify(values ?? {})) as Props;
  for (const key of secrets) {
    if (key in plain)
      plain[key] = { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: plain[key] };
  }
  return plain;
}

const open = (props: Props | undefined) => reveal(props ?? {}) as Props;

type Methods = Pick<provider.Provider, "check" | "diff" | "create" | "read" | "update" | "delete">;

/** The custom-resource methods of the plugin's provider; the providers' lines go to the engine at `engineAddress`. */
export function customResourceMethods(engineAddress: string): Methods {
  // Each operation answers once its lines reached the engine (./engine-log).
  const served = async <T>(run: () => Promise<T>): Promise<T> => {
    forwardConsoleToEngine(engineAddress);
    try {
      return await run();
    } finally {
      await logged();
    }
  };
  return {
    check: (urn, olds, news) =>
      served(async () => {
        const p = providerOf(urn);
        if (p.check === undefined) return { inputs: news };
        // A resource the program declared gets what its TypeScript class adds (./declared-resources).
        const declared = asDeclared(urn, typeNameOf(urn), news);
        const result = await p.check(open(olds), open(declared.news));
        const secrets = new Set([...secretKeys(news), ...declared.secrets]);
        return { inputs: marked(result.inputs, secrets), failures: result.failures };
      }),
    diff: (id, urn, olds, news) =>
      served(async () => {
        const p = providerOf(urn);
        return p.diff === undefined ? {} : p.diff(id, open(olds), open(news));
      }),
    create: (urn, inputs) =>
      served(async () => {
        const result = await providerOf(urn).create(open(inputs));
        return { id: result.id, outs: marked(result.outs, secretKeys(inputs)) };
      }),
    read: (id, urn, props) =>
      served(async () => {
        const p = providerOf(urn);
        if (p.read === undefined) return { id, props };
        const result = await p.read(id, open(props));
        return { id: result.id ?? id, props: marked(result.props, secretKeys(props)) };
      }),
    update: (id, urn, olds, news) =>
      served(async () => {
        const p = providerOf(urn);
        if (p.update === undefined) return { outs: news };
        const result = await p.update(id, open(olds), open(news));
        return { outs: marked(result.outs, secretKeys(news)) };
      }),
    delete: (id, urn, props) =>
      served(async () => {
        const p = providerOf(urn);
        if (p.delete !== undefined) await p.delete(id, open(props));
      }),
  };
}
