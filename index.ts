// The public entry point: resources, components and the helpers users call from a Pulumi program.
export * from "./provider";
export * from "./components/migration";
export { AlicloudReindexAccess, mergeReindexWhitelist } from "./components/alicloud";
export { AwsReindexAccess, checkRemoteReindexVersions } from "./components/aws";
