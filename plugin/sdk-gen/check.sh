#!/usr/bin/env bash
# Generates the plugin's Python and Go SDKs from its schema and checks that both build: Go with `go build` against
# Pulumi's Go SDK module (sdk/v3 at the CLI's release), Python by importing the package and type-checking the README's
# Python program with mypy --strict, in a virtualenv with `pulumi` from PyPI. Not part of `npm test`: a cold run
# compiles Pulumi's Go SDK (about 11 minutes here under load) and installs pulumi and mypy from PyPI (about 1 minute).
# Usage: plugin/sdk-gen/check.sh [work folder]   (needs the repo's node_modules; prints what it checked)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cache=${PULUMI_ES_MIGRATE_CACHE:-$repo/.cache}
export PATH=$repo/node_modules/.bin:$PATH

(cd "$repo" && npx tsx -e 'import { packageSchema } from "./plugin/schema";
const { version } = require("./package.json");
process.stdout.write(JSON.stringify(packageSchema("es-migrate", version), null, 2));') >"$work/schema.json"
gen=$(bash "$here/build.sh" "$cache" | tail -n 1)
rm -rf "$work/sdk"
"$gen" "$work/schema.json" "$work/sdk" example.com/es-migrate/sdk/go/esmigrate

# Go: the generated package in a module of its own, against sdk/v3 at the CLI's release (go.sum: the CLI wrapper's).
cat >"$work/sdk/go/go.mod" <<MOD
module example.com/es-migrate/sdk/go

go 1.25.11

require github.com/pulumi/pulumi/sdk/v3 v3.259.0
MOD
cp "$here/go.sum" "$work/sdk/go/"
(
  export GOMODCACHE=$cache/go/mod GOCACHE=$cache/go/build GOFLAGS=-buildvcs=false GOTOOLCHAIN=local
  export GOSUMDB=${GOSUMDB_FOR_PULUMI_BUILD:-off}
  cd "$work/sdk/go" && go mod tidy && nice -n 10 go build ./...
)
echo "go: the generated SDK builds"

# Python: pulumi from PyPI (the release the CLI's SDK line has there), the SDK installed, the README program checked.
[[ -x $work/venv/bin/python ]] || python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q pulumi==3.272.0 mypy==2.4.1
"$work/venv/bin/pip" install -q "$work/sdk/python"
"$work/venv/bin/python" -c "import pulumi_es_migrate as m
for served in ('IndexMigration', 'ClusterMigration', 'SnapshotMigration', 'AwsReindexAccess', 'AlicloudReindexAccess'):
    getattr(m, served)"
sed -n '/^```python$/,/^```$/p' "$repo/README.md" | sed '1d;$d' >"$work/example.py"
# The other served resources, declared as a Python user would (their args classes and outputs).
cat >"$work/others.py" <<'PY'
import pulumi
import pulumi_es_migrate as es_migrate

logs = es_migrate.SnapshotMigration(
    "logs",
    source=es_migrate.ConnectionArgs(url="http://source:9200"),
    destination=es_migrate.ConnectionArgs(url="http://destination:9200"),
    repository=es_migrate.SnapshotRepositoryArgs(name="migration", type="fs", settings={"location": "/mnt/snapshots"}),
    indices=["logs-2024"],
    catch_up=es_migrate.SnapshotCatchUpArgs(field="updated_at"),
)
aws_access = es_migrate.AwsReindexAccess(
    "aws-access",
    domain=es_migrate.AwsDomainArgs(
        endpoint="vpc-logs-abc.eu-west-1.es.amazonaws.com", engine_version="OpenSearch_2.11", security_group_ids=["sg-1"]
    ),
    source=es_migrate.AwsReindexSourceArgs(host="10.0.3.7", port=9200, security_group_id="sg-src"),
)
alicloud_access = es_migrate.AlicloudReindexAccess(
    "alicloud-access",
    architecture="v2",
    source=es_migrate.AlicloudSourceArgs(
        vpc_id="vpc-1", vswitch_id="vsw-1", security_group_id="sg-src", instance_ids=["i-1"]
    ),
    destination=es_migrate.AlicloudDestinationArgs(instance_id="es-cn-1", cidr="192.168.10.0/24"),
)
pulumi.export("snapshot", logs.snapshot_name)
pulumi.export("remoteHost", aws_access.remote_host)
pulumi.export("whitelist", alicloud_access.whitelist_entries)
PY
"$work/venv/bin/mypy" --strict "$work/example.py" "$work/others.py"
echo "python: the generated SDK imports, and the README's Python program and one of each other served resource type-check against it"
