// What Pulumi serializes into the state for each dynamic resource: a provider whose methods forward, by name, to the
// package's stable runtime entry. About 2 KB per resource (10-18 KB before), independent of where the provider's code
// lives inside the package; most of it is Pulumi's wrapper around each method.
import type * as pulumi from "@pulumi/pulumi";

type Provider = pulumi.dynamic.ResourceProvider;
const METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;
type Method = (typeof METHODS)[number];

/**
 * The methods a provider lacks, by name; every other provider has all six. Written here rather than read from the
 * providers, so that declaring a resource loads no provider code (and this module does not import the runtime entry
 * that imports the providers). test/unit/runtime-delegate.test.ts checks it against every provider of the entry.
 */
export const MISSING_METHODS: Readonly<Record<string, readonly Method[]>> = {
  Reindex: ["read"],
  SnapshotMigration: ["read"],
};

const delegates = new Map<string, Provider>();

/**
 * The provider a resource hands to `pulumi.dynamic.Resource`: the same object for every resource of a type (Pulumi
 * serializes a provider object once), with exactly the methods of the named provider (the dynamic provider host
 * has defaults for a missing read or diff that a forwarding method would change).
 */
export function delegatingProvider(name: string): Provider {
  let delegate = delegates.get(name);
  if (delegate === undefined) {
    // This text runs in the engine's dynamic-provider process, where `require` resolves from the program's
    // node_modules: the package's name, never a path of this machine. (Pulumi keeps a `require` call as it is
    // written; a module object captured from a path outside node_modules would be copied, all its code with it.)
    const forwarding: Pick<Required<Provider>, Method> = {
      check: (olds, news) => require("pulumi-es-migrate/runtime").provider(name).check(olds, news),
      diff: (id, olds, news) => require("pulumi-es-migrate/runtime").provider(name).diff(id, olds, news),
      create: (inputs) => require("pulumi-es-migrate/runtime").provider(name).create(inputs),
      read: (id, props) => require("pulumi-es-migrate/runtime").provider(name).read(id, props),
      update: (id, olds, news) => require("pulumi-es-migrate/runtime").provider(name).update(id, olds, news),
      delete: (id, props) => require("pulumi-es-migrate/runtime").provider(name).delete(id, props),
    };
    const missing = MISSING_METHODS[name] ?? [];
    delegate = Object.fromEntries(
      METHODS.filter((m) => !missing.includes(m)).map((m) => [m, forwarding[m]]),
    ) as unknown as Provider;
    delegates.set(name, delegate);
  }
  return delegate;
}
