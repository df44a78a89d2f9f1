// In the plugin, the package's resources are custom resources of the plugin itself, not dynamic resources.
//
// A dynamic resource's provider runs in Pulumi's dynamic-provider process, which the engine starts in the program's
// folder and which loads `@pulumi/pulumi` and this package from that folder's node_modules: a Python, Go or YAML
// project has none, so every dynamic child of a served component fails there (docs/design-other-languages.md).
// Registered as `es-migrate:index:<Type>` instead, each child is served by this plugin, whose `check`/`diff`/CRUD
// call the very provider object the dynamic resource would have serialized (./custom-resources.ts).
//
// The resource classes (provider/*/resource.ts) extend `pulumi.dynamic.Resource`, read when their module loads. This
// module puts a class with the same constructor in its place before any of them loads, so the components and their
// children are the TypeScript users' own code, unchanged: same props, same options (secret outputs included), same
// names; only the type token and the provider that serves it differ.
import * as pulumi from "@pulumi/pulumi";

/** The package name of the plugin's schema and of every type it serves. */
export const PACKAGE = "es-migrate";

/** The token the plugin registers and serves a resource type under, e.g. `es-migrate:index:Reindex`. */
export const servedType = (type: string): string => `${PACKAGE}:index:${type}`;

/** A resource of this plugin with the constructor of `pulumi.dynamic.Resource` (its provider argument unused). */
export class ServedResource extends pulumi.CustomResource {
  constructor(
    _provider: pulumi.dynamic.ResourceProvider,
    name: string,
    props: pulumi.Inputs,
    opts?: pulumi.CustomResourceOptions,
    _module?: string,
    type = "Resource",
  ) {
    super(servedType(type), name, props, opts);
  }
}

// `pulumi.dynamic` is the SDK's `dynamic` module object itself (CommonJS exports): its `Resource` is writable.
(pulumi.dynamic as { Resource: unknown }).Resource = ServedResource;

/**
 * Throws unless `resourceClass` (a class of provider/*, loaded after this module) registers through the plugin: a
 * second copy of `@pulumi/pulumi`, or a resource module loaded before this one, would make its children dynamic again.
 */
export function assertServed(resourceClass: abstract new (...args: never[]) => unknown): void {
  if (!(resourceClass.prototype instanceof ServedResource))
    throw new Error(
      `${resourceClass.name} would register as a dynamic resource: load plugin/served-resources before the package's ` +
        "resources, with one copy of @pulumi/pulumi",
    );
}
