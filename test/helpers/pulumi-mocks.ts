// Pulumi mocks for unit tests of components and resources: one place for the mock engine's setup, the secret
// wrapper it hands back, and the waits a test needs because resource registration is asynchronous.
// Call `setPulumiMocks` at the top of a test file, before the module under test is imported (in `beforeAll`).
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";

/** The signature key Pulumi puts on a secret value when it serializes it (the mock engine sees secrets this way). */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** True when `v` is a secret as the mock engine receives it. */
export const isSecret = (v: any): boolean => v !== null && typeof v === "object" && v[SECRET_SIG] !== undefined;

/** The plain value of mock-engine inputs, every secret wrapper removed (tests assert on plain values). */
export const unwrapSecrets = (v: any): any =>
  isSecret(v)
    ? unwrapSecrets(v.value)
    : Array.isArray(v)
      ? v.map(unwrapSecrets)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]))
        : v;

/** A dynamic resource's or this package's component's type token without its prefix: `Reindex`, `MigratedIndex`. */
export const shortType = (type: string): string =>
  type.replace(/^pulumi-nodejs:dynamic\/es-migrate:/, "").replace(/^es-migrate:index:/, "");

/**
 * Installs the mocks for project "project", stack "stack", not a preview. With `placeholderProviders`, dynamic
 * resources store a placeholder instead of their serialized provider (see below).
 */
export function setPulumiMocks(mocks: pulumi.runtime.Mocks, opts: { placeholderProviders?: boolean } = {}): void {
  if (opts.placeholderProviders) placeholderProviderSerialization();
  pulumi.runtime.setMocks(mocks, "project", "stack", false);
}

/**
 * Dynamic resources serialize their provider into the state. Run from the source tree (not an installed package),
 * modules are captured by value and zod's bound functions cannot be; the real serialization is covered by the
 * end-to-end tests with an installed package. This makes the provider text a placeholder.
 */
function placeholderProviderSerialization(): void {
  createRequire(__filename)("@pulumi/pulumi/runtime/closure/serializeClosure").serializeFunction = async () => ({
    text: "exports.handler = undefined;",
    containsSecrets: false,
  });
}

/** The value an output resolves to under the mocks; with `timeoutMs`, an output that never resolves fails the test. */
export function outputValue<T>(o: pulumi.Output<T>, timeoutMs?: number): Promise<T> {
  return new Promise((resolve, reject) => {
    o.apply((v) => resolve(v));
    if (timeoutMs !== undefined) setTimeout(() => reject(new Error("output never resolved")), timeoutMs);
  });
}

/** Waits for the mock engine to see every child registered so far (registration is asynchronous). */
export function settle(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
