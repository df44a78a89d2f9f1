// The cloud access components served to other languages: AwsReindexAccess and AlicloudReindexAccess, the
// TypeScript users' classes. Their cloud SDK (@pulumi/aws, @pulumi/alicloud: optional peers of the package) loads
// only when one is built, and a missing one fails naming the package and the folder to install it in: the plugin's,
// not the program's. Their TypeScript types (`pulumi-es-migrate:aws:ReindexAccess`, ...) are not tokens of the
// es-migrate package, so each is built inside a component of the served type; its children are the same.
import * as pulumi from "@pulumi/pulumi";
import type { AlicloudReindexAccessArgs } from "../components/alicloud";
import type { AwsReindexAccessArgs } from "../components/aws";
import { installFolder, packageRoot } from "./package-root";
import { assertServed, servedType } from "./served-resources";

type Inputs = Record<string, unknown>;

/** The packages of `packages` that `require` cannot load from the package's folder `root`. */
function absent(packages: readonly string[], root: string): string[] {
  return packages.filter((name) => {
    try {
      require.resolve(name, { paths: [root] });
      return false;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") return true;
      throw err;
    }
  });
}

/** Throws, naming what to install and where, unless `packages` load from the plugin's package folder `root`. */
export function requireCloudSdk(component: string, packages: readonly string[], root = packageRoot()): void {
  const missing = absent(packages, root);
  if (missing.length === 0) return;
  throw new Error(
    `${component} needs ${missing.join(" and ")}, not installed where the es-migrate plugin runs (${root}). ` +
      `Install ${missing.length === 1 ? "it" : "them"} beside the plugin, not in your program: ` +
      `npm install --prefix ${installFolder(root)} ${missing.join(" ")}`,
  );
}

/**
 * The inputs with the shape the classes read at construction: a top-level input the engine sent as one output (a
 * secret, or a whole object from another resource) becomes its value, each field of a secret one kept secret.
 */
async function shaped(component: string, name: string, inputs: Inputs): Promise<Inputs> {
  const out: Inputs = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (!pulumi.Output.isInstance(value)) {
      out[key] = value;
      continue;
    }
    // The Output's own promises (internal to the SDK, which builds construct's inputs with them): at construction,
    // before any apply could run.
    const parts = value as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
    const [known, secret, plain] = await Promise.all([parts.isKnown, pulumi.isSecret(value), parts.promise()]);
    if (!known)
      throw new Error(
        `${component} ${name}: ${key} is not known yet as a whole (another resource's output): give its fields one by one`,
      );
    out[key] =
      secret && plain !== null && typeof plain === "object" && !Array.isArray(plain)
        ? Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, pulumi.secret(v)]))
        : plain;
  }
  return out;
}

const HOST_SOURCE_FIELDS = ["host", "port", "securityGroupId", "external", "region", "engineVersion"];
const DOMAIN_SOURCE_FIELDS = ["domain", "connectionAlias"];

/**
 * What TypeScript's union type ensures for AwsReindexAccess's source and the served object cannot: one kind of
 * source, an address (`host`, `port`, ...) or another domain (`domain`, `connectionAlias`).
 */
export function awsSourceProblem(source: Inputs | undefined): string | undefined {
  const given = (fields: string[]) => fields.filter((f) => source?.[f] !== undefined);
  const byAddress = given(HOST_SOURCE_FIELDS);
  const byDomain = given(DOMAIN_SOURCE_FIELDS);
  if (byAddress.length > 0 && byDomain.length > 0)
    return `source takes an address (host, port, ...) or another domain (domain, connectionAlias), not both: it has ${[...byAddress, ...byDomain].map((f) => `source.${f}`).join(", ")}`;
  if (source?.domain === undefined && source?.host === undefined)
    return "source needs host and port (a cluster reached by address) or domain (another Amazon OpenSearch Service domain)";
  return undefined;
}

/** A component of the served type holding the TypeScript class's instance; its outputs are the instance's. */
class ServedCloudComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
    super(servedType(type), name, {}, opts);
  }

  /** Takes `outputs` as its own (by name, for `construct`) and registers them. */
  publish(outputs: Record<string, pulumi.Input<unknown> | undefined>): this {
    const defined = Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined));
    Object.assign(this, defined);
    this.registerOutputs(defined);
    return this;
  }
}

export const AWS_REINDEX_ACCESS_OUTPUTS = ["remoteHost", "remote", "connection", "outboundConnectionId"] as const;
export const ALICLOUD_REINDEX_ACCESS_OUTPUTS = ["remoteHost", "whitelistEntries", "yml", "settingConfig"] as const;

/** Builds the served AwsReindexAccess: the TypeScript class inside a component of the served type. */
export async function buildAwsReindexAccess(
  name: string,
  inputs: Inputs,
  opts: pulumi.ComponentResourceOptions,
): Promise<pulumi.ComponentResource> {
  requireCloudSdk("AwsReindexAccess", ["@pulumi/aws"]);
  const args = await shaped("AwsReindexAccess", name, inputs);
  const problem = awsSourceProblem(args.source as Inputs | undefined);
  if (problem !== undefined) throw new Error(`AwsReindexAccess ${name}: ${problem}`);
  const { AwsReindexAccess } = await import("../components/aws/index.js");
  const served = new ServedCloudComponent("AwsReindexAccess", name, opts);
  const access = new AwsReindexAccess(name, args as unknown as AwsReindexAccessArgs, { parent: served });
  return served.publish({
    remoteHost: access.remoteHost,
    remote: access.remote,
    connection: access.connection,
    outboundConnectionId: access.outboundConnection?.id,
  });
}

/** Builds the served AlicloudReindexAccess: the TypeScript class inside a component of the served type. */
export async function buildAlicloudReindexAccess(
  name: string,
  inputs: Inputs,
  opts: pulumi.ComponentResourceOptions,
): Promise<pulumi.ComponentResource> {
  requireCloudSdk("AlicloudReindexAccess", ["@pulumi/alicloud", "@alicloud/elasticsearch20170613"]);
  const args = await shaped("AlicloudReindexAccess", name, inputs);
  const alicloud = await import("../components/alicloud/index.js");
  // Its endpoint and whitelist children are the package's resources: they must register through the plugin.
  assertServed(alicloud.ElasticsearchVpcEndpoint);
  const served = new ServedCloudComponent("AlicloudReindexAccess", name, opts);
  const access = new alicloud.AlicloudReindexAccess(name, args as unknown as AlicloudReindexAccessArgs, {
    parent: served,
  });
  return served.publish({
    remoteHost: access.remoteHost,
    whitelistEntries: access.whitelistEntries,
    yml: access.yml,
    settingConfig: access.settingConfig,
  });
}
