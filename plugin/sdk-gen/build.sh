#!/usr/bin/env bash
# Builds the SDK generator (./main.go: Pulumi's Python and Go code generators over the plugin's schema) into
# <cache>/sdk-gen/<hash of its sources>/sdk-gen and prints that path. Shares the test world's Go caches; a warm run
# returns at once. Usage: build.sh [cache-root]   (default: $PULUMI_ES_MIGRATE_CACHE, else <repo>/.cache)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${PULUMI_ES_MIGRATE_CACHE:-$here/../../.cache}}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
key=$(cat "$here/main.go" "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-12)
out=$cache/sdk-gen/$key
mkdir -p "$out"
exec 9>"$cache/sdk-gen/.build.lock"
flock 9

export GOMODCACHE=$cache/go/mod
export GOCACHE=$cache/go/build
export GOFLAGS=-buildvcs=false
export GOTOOLCHAIN=local
# The checksum database is not reachable from this machine; go.sum (the CLI wrapper's, checked in) pins the modules.
export GOSUMDB=${GOSUMDB_FOR_PULUMI_BUILD:-off}

if [[ ! -x $out/sdk-gen ]]; then
  rm -rf "$out/build" && mkdir -p "$out/build"
  cp "$here/main.go" "$here/go.mod" "$here/go.sum" "$out/build/"
  (cd "$out/build" && go mod tidy >&2 && nice -n 10 go build -trimpath -o "$out/sdk-gen.tmp" . && mv "$out/sdk-gen.tmp" "$out/sdk-gen")
fi
echo "$out/sdk-gen"
