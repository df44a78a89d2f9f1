// A typed dynamic provider: what a resource's provider methods see (plain inputs after check, the outputs recorded
// in the state) declared once, and check() returning `Problem`s. The SDK's ResourceProvider has the same methods
// with `any` everywhere; this is the project's way to write new providers without it.
import type * as pulumi from "@pulumi/pulumi";
import type { Problem } from "./problems";

/** Pulumi's `Input<>` at every level of a plain input type: what users may pass for it (sst's `Input<Inputs["x"]>`). */
type DeepInput<T> = pulumi.Input<T extends readonly (infer E)[] ? DeepInput<E>[] : T extends object ? ArgsOf<T> : T>;

/**
 * The args of a resource derived from its plain inputs: each field a `DeepInput`, optional ones staying optional
 * (and taking a promise or output that resolves to `undefined`, as Pulumi's own args do).
 */
export type ArgsOf<T> = { [K in keyof T]: DeepInput<T[K]> };

/** The props of a read that found the resource gone. */
type Gone = Record<string, never>;

interface TypedProvider<Inputs, Outputs> {
  /** Validates and normalizes raw inputs: the inputs to use and every problem found. */
  check(news: Record<string, unknown>, olds: Record<string, unknown>): Promise<{ inputs: Inputs; problems: Problem[] }>;
  diff(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Inputs): Promise<{ id: string; outs: Outputs }>;
  /** Empty props (`{ id: "", props: {} }`): the resource is gone, and Pulumi drops it from the state. */
  read?(id: string, props: Outputs): Promise<pulumi.dynamic.ReadResult<Outputs | Gone>>;
  update(id: string, olds: Outputs, news: Inputs): Promise<{ outs: Outputs }>;
  delete(id: string, props: Outputs): Promise<void>;
}

/** The SDK provider for typed methods: problems become check failures. */
export function defineProvider<Inputs, Outputs>(
  methods: TypedProvider<Inputs, Outputs>,
): pulumi.dynamic.ResourceProvider<Inputs, Outputs> {
  const provider: pulumi.dynamic.ResourceProvider<Inputs, Outputs> = {
    check: async (olds, news) => {
      const { inputs, problems } = await methods.check(
        news as Record<string, unknown>,
        (olds ?? {}) as Record<string, unknown>,
      );
      return { inputs, failures: problems };
    },
    diff: (id, olds, news) => methods.diff(id, olds, news),
    create: (inputs) => methods.create(inputs),
    update: (id, olds, news) => methods.update(id, olds, news),
    delete: (id, props) => methods.delete(id, props),
  };
  if (methods.read !== undefined) {
    const read = methods.read;
    // The SDK types a read's props as the outputs only, though an empty object is how a read says "gone".
    provider.read = (id, props) => read(id, props as Outputs) as Promise<pulumi.dynamic.ReadResult<Outputs>>;
  }
  return provider;
}
