// The public entry point: resources, components and the helpers users call from a Pulumi program.
import type * as alicloud from "./components/alicloud";
import type * as aws from "./components/aws";

export * from "./provider";
export * from "./components/migration";
// Pure helpers: they need neither cloud SDK.
export { mergeReindexWhitelist } from "./components/alicloud/plan";
export { checkRemoteReindexVersions } from "./components/aws/plan";

// The cloud components load @pulumi/alicloud and @pulumi/aws, hundreds of modules that would cost every program
// (and every `pulumi preview`) seconds even when it migrates between clusters it already has: they are loaded on
// first use. Their subpaths (`pulumi-es-migrate/components/alicloud`, `.../aws`) load them directly.
export declare const AlicloudReindexAccess: typeof alicloud.AlicloudReindexAccess;
export type AlicloudReindexAccess = alicloud.AlicloudReindexAccess;
export type { AlicloudReindexAccessArgs } from "./components/alicloud";
export declare const AwsReindexAccess: typeof aws.AwsReindexAccess;
export type AwsReindexAccess = aws.AwsReindexAccess;
export type { AwsReindexAccessArgs } from "./components/aws";

function exportOnFirstUse(name: string, load: () => unknown): void {
  Object.defineProperty(exports, name, { enumerable: true, get: load });
}
exportOnFirstUse("AlicloudReindexAccess", () => (require("./components/alicloud") as typeof alicloud).AlicloudReindexAccess);
exportOnFirstUse("AwsReindexAccess", () => (require("./components/aws") as typeof aws).AwsReindexAccess);
