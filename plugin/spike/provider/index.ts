// Way (b) of the spike: a provider plugin written with @pulumi/pulumi/provider and a hand-written schema, serving
// the same component classes through `construct` (the way pulumi-awsx and pulumi-eks serve theirs).
//
// With SPIKE_CUSTOM_CHILDREN=1 the components' children are not dynamic resources but custom resources of this very
// provider (`es-migrate-spike:index:NoteRecord`, `es-migrate-spike:index:DestinationIndex`), whose CRUD calls the
// package's own provider objects (`pulumi-es-migrate/runtime`): nothing then runs in the consumer's project folder.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import { provider as packageProvider } from "pulumi-es-migrate/runtime";
import { Note, TargetIndex, type NoteArgs, type TargetIndexArgs } from "../component";

const schema = readFileSync(path.join(__dirname, "schema.json"), "utf8");
const customChildren = process.env.SPIKE_CUSTOM_CHILDREN === "1";

const noteRecord: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: `note-${inputs.text}`, outs: { text: inputs.text } };
  },
};

/** The provider object behind each custom resource type this plugin serves. */
const CUSTOM: Record<string, () => pulumi.dynamic.ResourceProvider> = {
  "es-migrate-spike:index:NoteRecord": () => noteRecord,
  "es-migrate-spike:index:DestinationIndex": () => packageProvider("DestinationIndex"),
};

function servedBy(urn: string): pulumi.dynamic.ResourceProvider {
  const type = urn.split("::")[2].split("$").pop()!;
  const make = CUSTOM[type];
  if (make === undefined) throw new Error(`unknown resource type ${type}`);
  return make();
}

/** A custom resource of this provider (CustomResource itself is abstract). */
class Served extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super(type, name, props, opts);
  }
}

class ServedNote extends pulumi.ComponentResource {
  public readonly stored: pulumi.Output<string>;

  constructor(name: string, args: NoteArgs, opts: pulumi.ComponentResourceOptions) {
    super("es-migrate-spike:index:Note", name, {}, opts);
    const record = new Served(
      "es-migrate-spike:index:NoteRecord",
      `${name}-note`,
      { text: args.text },
      { parent: this },
    );
    this.stored = (record as unknown as { text: pulumi.Output<string> }).text;
    this.registerOutputs({ stored: this.stored });
  }
}

class ServedTargetIndex extends pulumi.ComponentResource {
  public readonly indexName: pulumi.Output<string>;

  constructor(name: string, args: TargetIndexArgs, opts: pulumi.ComponentResourceOptions) {
    super("es-migrate-spike:index:TargetIndex", name, {}, opts);
    const index = new Served(
      "es-migrate-spike:index:DestinationIndex",
      name,
      {
        cluster: pulumi.secret(pulumi.output(args.url).apply((url) => ({ url }))),
        index: args.index,
        settings: pulumi.output(args.shards).apply((shards) => (shards ? { number_of_shards: shards } : {})),
        deletionProtection: args.deletionProtection,
        uuid: undefined,
      },
      { parent: this, additionalSecretOutputs: ["cluster"] },
    );
    this.indexName = (index as unknown as { index: pulumi.Output<string> }).index;
    this.registerOutputs({ indexName: this.indexName });
  }
}

// The provider SDK hands results to protobuf as they are (the dynamic-provider host serializes them first): drop
// `undefined` fields, which protobuf's Struct refuses ("Unexpected struct type").
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? {}));

// Secret inputs arrive wrapped (`{ <sig>: <secret sig>, value }`); the dynamic-provider host unwraps them before our
// providers see them, so the adapter does too. Secretness of outputs comes from `additionalSecretOutputs`.
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
function unwrap(value: any): any {
  if (Array.isArray(value)) return value.map(unwrap);
  if (value === null || typeof value !== "object") return value;
  if (value[SIG] === SECRET_SIG) return unwrap(value.value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
}

const spikeProvider: provider.Provider = {
  version: "0.0.1",
  schema,
  async construct(name, type, inputs, options): Promise<provider.ConstructResult> {
    switch (type) {
      case "es-migrate-spike:index:Note": {
        const args = inputs as unknown as NoteArgs;
        const note = customChildren ? new ServedNote(name, args, options) : new Note(name, args, options);
        return { urn: note.urn, state: { stored: note.stored } };
      }
      case "es-migrate-spike:index:TargetIndex": {
        const args = inputs as unknown as TargetIndexArgs;
        const target = customChildren
          ? new ServedTargetIndex(name, args, options)
          : new TargetIndex(name, args, options);
        return { urn: target.urn, state: { indexName: target.indexName } };
      }
      default:
        throw new Error(`unknown component type ${type}`);
    }
  },
  // The custom resources: the same calls as a dynamic provider's, with the URN in front.
  async check(urn, olds, news) {
    const p = servedBy(urn);
    const result = p.check ? await p.check(unwrap(olds), unwrap(news)) : { inputs: news };
    return { ...result, inputs: plain(result.inputs) };
  },
  async diff(id, urn, olds, news) {
    const p = servedBy(urn);
    return p.diff ? p.diff(id, unwrap(olds), unwrap(news)) : {};
  },
  async create(urn, inputs) {
    const result = await servedBy(urn).create(unwrap(inputs));
    return { ...result, outs: plain(result.outs) };
  },
  async read(id, urn, props) {
    const p = servedBy(urn);
    const result = p.read ? await p.read(id, unwrap(props)) : { id, props };
    return { ...result, props: plain(result.props) };
  },
  async update(id, urn, olds, news) {
    const p = servedBy(urn);
    const result = p.update ? await p.update(id, unwrap(olds), unwrap(news)) : { outs: news };
    return { ...result, outs: plain(result.outs) };
  },
  async delete(id, urn, props) {
    const p = servedBy(urn);
    if (p.delete) await p.delete(id, unwrap(props));
  },
};

void provider.main(spikeProvider, process.argv.slice(2));
