// The SDK generator's module: Pulumi's codegen packages at the CLI's release (test/world/pulumi-cli/cli pins the
// same modules; its go.sum is this one's).
module pulumi-es-migrate/plugin/sdk-gen

go 1.25.11

require (
	github.com/pulumi/pulumi/pkg/v3 v3.259.0
	github.com/pulumi/pulumi/sdk/v3 v3.259.0
)

// Same fork as pkg's own go.mod (a replace in a dependency is ignored, so it is repeated here).
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
