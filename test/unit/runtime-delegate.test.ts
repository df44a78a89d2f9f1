// The provider text a resource stores forwards each method to the runtime entry. It must have exactly the methods of
// the provider it names: a forwarding `read` on a provider without one would replace the engine's default read
// (refresh would fail), and a missing one would skip the provider's own.
import { describe, expect, it } from "vitest";
import { delegatingProvider } from "../../provider/runtime/delegate";
import { PROVIDER_NAMES, provider } from "../../provider/runtime";

const METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;

const methodsOf = (p: object) => METHODS.filter((m) => typeof (p as Record<string, unknown>)[m] === "function");

describe("the provider a resource stores", () => {
  it.each(PROVIDER_NAMES)("forwards exactly the methods the %s provider has", (name) => {
    expect(methodsOf(delegatingProvider(name))).toEqual(methodsOf(provider(name)));
  });
});
