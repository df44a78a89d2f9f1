// The public entry point: resources, components and the helpers users call from a Pulumi program.
export * from "./provider";
