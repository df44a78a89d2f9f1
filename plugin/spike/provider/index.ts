// Way (b) of the spike: a provider plugin written with @pulumi/pulumi/provider and a hand-written schema, serving
// the same component classes through `construct` (the way pulumi-awsx and pulumi-eks serve theirs).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as provider from "@pulumi/pulumi/provider";
import { Note, TargetIndex, type NoteArgs, type TargetIndexArgs } from "../component";

const schema = readFileSync(path.join(__dirname, "schema.json"), "utf8");

const spikeProvider: provider.Provider = {
  version: "0.0.1",
  schema,
  async construct(name, type, inputs, options): Promise<provider.ConstructResult> {
    switch (type) {
      case "es-migrate-spike:index:Note": {
        const note = new Note(name, inputs as unknown as NoteArgs, options);
        return { urn: note.urn, state: { stored: note.stored } };
      }
      case "es-migrate-spike:index:TargetIndex": {
        const target = new TargetIndex(name, inputs as unknown as TargetIndexArgs, options);
        return { urn: target.urn, state: { indexName: target.indexName } };
      }
      default:
        throw new Error(`unknown resource type ${type}`);
    }
  },
};

void provider.main(spikeProvider, process.argv.slice(2));
