// The cluster-object resources users declare: one class per kind over the one provider. Their args are derived from
// the input schemas (./schema), so each field, its type and its description exist once. The connections are stored
// as secrets (they carry passwords or API keys).
import * as pulumi from "@pulumi/pulumi";
import type { ClusterInfo } from "../connection/types";
import type { ArgsOf } from "../shared/define-provider";
import { delegatingProvider } from "../runtime/delegate";
import { KINDS } from "./kinds";
import { OUTPUT_ONLY, type PlainObjectArgs } from "./schema";
import type { ObjectBody, ObjectKind } from "./types";

/** The args of the resource of `kind`: `destination`, `name`, `body` or `copyFrom`, `adoptExisting`. */
export type ObjectArgs<K extends ObjectKind> = ArgsOf<PlainObjectArgs<K>>;
export type IndexTemplateArgs = ObjectArgs<"indexTemplate">;
export type LegacyIndexTemplateArgs = ObjectArgs<"legacyTemplate">;
export type ComponentTemplateArgs = ObjectArgs<"componentTemplate">;
export type IngestPipelineArgs = ObjectArgs<"pipeline">;
export type StoredScriptArgs = ObjectArgs<"script">;
export type IndexAliasArgs = ObjectArgs<"alias">;

/** What every cluster-object resource records. */
export abstract class ClusterObjectResource extends pulumi.dynamic.Resource {
  /** The object's name at the destination. */
  declare public readonly name: pulumi.Output<string>;
  /** The definition at the destination (canonical: flat settings, typeless mappings): declared, or copied and translated. */
  declare public readonly body: pulumi.Output<ObjectBody>;
  /** What the translation from the source left out, each with why (empty for a declared body). */
  declare public readonly dropped: pulumi.Output<string[]>;
  /** True when the object existed at the destination and was taken over rather than created. */
  declare public readonly adopted: pulumi.Output<boolean>;
  declare public readonly destInfo: pulumi.Output<ClusterInfo>;
  declare public readonly sourceInfo: pulumi.Output<ClusterInfo | undefined>;

  protected constructor(kind: ObjectKind, name: string, args: ObjectArgs<ObjectKind>, opts?: pulumi.CustomResourceOptions) {
    const outputs = Object.fromEntries(OUTPUT_ONLY.map((k) => [k, undefined]));
    super(
      delegatingProvider(KINDS[kind].resource),
      name,
      {
        ...args,
        destination: pulumi.secret(args.destination),
        copyFrom: args.copyFrom === undefined ? undefined : pulumi.secret(args.copyFrom),
        body: args.body,
        ...outputs,
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "destination", "copyFrom"] },
      "es-migrate",
      KINDS[kind].resource,
    );
  }
}

/**
 * A composable index template (`_index_template`, Elasticsearch 7.8+ and OpenSearch): declared, or copied from a
 * source. Updated in place; an existing template of the name with another definition is a preview error unless
 * `adoptExisting`. Delete removes the template only, never an index.
 */
export class IndexTemplate extends ClusterObjectResource {
  constructor(name: string, args: IndexTemplateArgs, opts?: pulumi.CustomResourceOptions) {
    super("indexTemplate", name, args as ObjectArgs<ObjectKind>, opts);
  }
}

/**
 * A legacy index template (`_template`, every release): declared typeless, or copied from a source (a 6.x
 * template's mapping type unwrapped for 7+/OpenSearch; a 5.x `template` read as `index_patterns`).
 */
export class LegacyIndexTemplate extends ClusterObjectResource {
  constructor(name: string, args: LegacyIndexTemplateArgs, opts?: pulumi.CustomResourceOptions) {
    super("legacyTemplate", name, args as ObjectArgs<ObjectKind>, opts);
  }
}

/** A component template (`_component_template`, Elasticsearch 7.8+ and OpenSearch), the parts composable templates name. */
export class ComponentTemplate extends ClusterObjectResource {
  constructor(name: string, args: ComponentTemplateArgs, opts?: pulumi.CustomResourceOptions) {
    super("componentTemplate", name, args as ObjectArgs<ObjectKind>, opts);
  }
}

/**
 * An ingest pipeline (`_ingest/pipeline`). A processor the destination's ingest nodes lack is a preview error naming
 * it. Delete is refused while an index names the pipeline in `index.default_pipeline` / `index.final_pipeline`.
 */
export class IngestPipeline extends ClusterObjectResource {
  constructor(name: string, args: IngestPipelineArgs, opts?: pulumi.CustomResourceOptions) {
    super("pipeline", name, args as ObjectArgs<ObjectKind>, opts);
  }
}

/** A stored script or search template (`_scripts`): `{ lang, source }`. */
export class StoredScript extends ClusterObjectResource {
  constructor(name: string, args: StoredScriptArgs, opts?: pulumi.CustomResourceOptions) {
    super("script", name, args as ObjectArgs<ObjectKind>, opts);
  }
}

/**
 * An alias (`_aliases`) and the indices it points to, each with its filter, routing, `is_write_index` and
 * `is_hidden`. Changes are one atomic `POST _aliases`. Delete takes the alias off its indices; the indices and their
 * documents stay.
 */
export class IndexAlias extends ClusterObjectResource {
  constructor(name: string, args: IndexAliasArgs, opts?: pulumi.CustomResourceOptions) {
    super("alias", name, args as ObjectArgs<ObjectKind>, opts);
  }
}

/** The resource class of each kind, for programs that declare objects from a plan's rows. */
export const OBJECT_RESOURCES: Readonly<Record<ObjectKind, new (name: string, args: ObjectArgs<ObjectKind>, opts?: pulumi.CustomResourceOptions) => ClusterObjectResource>> = {
  indexTemplate: IndexTemplate,
  legacyTemplate: LegacyIndexTemplate,
  componentTemplate: ComponentTemplate,
  pipeline: IngestPipeline,
  script: StoredScript,
  alias: IndexAlias,
};
