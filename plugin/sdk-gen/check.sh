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
"$work/venv/bin/python" -c "import pulumi_es_migrate as m; m.IndexMigration; m.ClusterMigration"
sed -n '/^```python$/,/^```$/p' "$repo/README.md" | sed '1d;$d' >"$work/example.py"
"$work/venv/bin/mypy" --strict "$work/example.py"
echo "python: the generated SDK imports, and the README's Python program type-checks against it"
