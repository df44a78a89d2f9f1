// The providers print what they find (documents waiting, progress, what a run left as it was) with console.log and
// console.warn (provider/shared/log.ts). The engine shows a dynamic provider's output as diagnostics, but hides any
// other resource plugin's (sdk/go/common/resource/plugin/plugin.go: debug logs only). In the plugin those lines go to
// the engine's log instead, so YAML and Python users read the same lines as TypeScript users, also without a URN.
import { format } from "node:util";
import * as pulumi from "@pulumi/pulumi";

let last: Promise<void> = Promise.resolve();
let forwarding = false;

/**
 * From now on, console.log and console.warn of this process are engine log lines (info and warning). Called by the
 * first resource operation, not at start: the provider SDK writes its port to stdout with console.log.
 */
export function forwardConsoleToEngine(engineAddress: string): void {
  if (forwarding) return;
  forwarding = true;
  // The SDK's log reaches the engine at this address (set for `construct` calls, not for resource operations).
  process.env.PULUMI_NODEJS_ENGINE ??= engineAddress;
  console.log = (...args: unknown[]) => void (last = pulumi.log.info(format(...args)));
  // provider/shared/log.ts prefixes its warnings for a terminal; the engine says "warning" itself.
  console.warn = (...args: unknown[]) => void (last = pulumi.log.warn(format(...args).replace(/^warning: /, "")));
}

/** Resolves once every line logged so far reached the engine (before an operation answers, so none is lost). */
export function logged(): Promise<void> {
  return last;
}
