// The public entry point (`pulumi-es-migrate`): resources, migration components and pure helpers, all without a
// cloud SDK. The cloud components are in their own entries, which need their SDKs installed (optional peer
// dependencies): `pulumi-es-migrate/components/alicloud` (AlicloudReindexAccess, ...) and
// `pulumi-es-migrate/components/aws` (AwsReindexAccess).
export * from "./provider";
export * from "./components/migration";
// Pure helpers of the cloud components: they need neither cloud SDK.
export { mergeReindexWhitelist } from "./components/alicloud/plan";
export { checkRemoteReindexVersions } from "./components/aws/plan";
