// The es-migrate provider plugin: serves the migration components to Python, Go, C#, Java and YAML programs, and
// their children as custom resources of the plugin (docs/design-other-languages.md). Started by the engine through
// ./pulumi-resource-es-migrate with the engine's address as its argument.
// First: the package's resource classes, loaded by the modules below, must find the served class in place.
import { PACKAGE } from "./served-resources";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as provider from "@pulumi/pulumi/provider";
import { construct } from "./components";
import { customResourceMethods } from "./custom-resources";
import { watchEngine } from "../provider/runtime/watchdog";
import { packageRoot } from "./package-root";
import { packageSchema } from "./schema";

const version = (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string })
  .version;
const args = process.argv.slice(2);
// The engine's address is the last argument (as for every plugin).
const engineAddress = args[args.length - 1];

const esMigrate: provider.Provider = {
  version,
  getSchema: async () => JSON.stringify(packageSchema(PACKAGE, version)),
  construct,
  ...customResourceMethods(engineAddress),
};

// A plugin whose engine is gone stops (a SIGKILLed CLI leaves its plugins running), as the dynamic providers do.
watchEngine({
  address: engineAddress,
  onGone: (why) => {
    process.stderr.write(`es-migrate plugin: ${why}; the plugin stops (the next pulumi up continues the migration)\n`);
    process.exit(1);
  },
});
void provider.main(esMigrate, args);
