#!/usr/bin/env bash
# Builds Pulumi's YAML language host (pulumi-language-yaml) from the Go module github.com/pulumi/pulumi-yaml into
# <cache>/pulumi-yaml/<version>-<hash of the wrapper module>/bin, then links it, the CLI and our Node.js host of
# test/world/pulumi-cli into a folder named after that host's folder (bin-host-<hash>), so each version of our host
# gets its own: that folder first on PATH runs YAML programs (and Node.js ones) under the real CLI.
# Usage: build.sh [cache-root]   (default: $PULUMI_ES_MIGRATE_CACHE, else <repo>/.cache); prints the bin folder.
# Warm runs return at once: the Go toolchain is only invoked when the binary is missing.
set -euo pipefail

VERSION=v1.25.0
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${PULUMI_ES_MIGRATE_CACHE:-$here/../../../.cache}}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
# The CLI and our Node.js host first (their own build, their own lock); its last line is their folder.
cli_bin=$(bash "$here/../pulumi-cli/build.sh" "$cache" | tail -n 1)

key=$(cat "$here/language-yaml/go.mod" "$here/language-yaml/go.sum" | sha256sum | cut -c1-12)
bin=$cache/pulumi-yaml/$VERSION-$key/bin
build=$cache/pulumi-yaml/$VERSION-$key/build
path_dir=$cache/pulumi-yaml/$VERSION-$key/$(basename "$cli_bin")
mkdir -p "$bin" "$path_dir"
exec 9>"$cache/pulumi-yaml/.build.lock"
flock 9

export GOMODCACHE=$cache/go/mod
export GOCACHE=$cache/go/build
export GOFLAGS=-buildvcs=false
export GOTOOLCHAIN=local
# The checksum database is not reachable from this machine; go.sum (checked in beside go.mod) pins the modules.
export GOSUMDB=${GOSUMDB_FOR_PULUMI_BUILD:-off}

if [[ ! -x $bin/pulumi-language-yaml ]]; then
  rm -rf "$build" && mkdir -p "$build"
  cp "$here/language-yaml/go.mod" "$here/language-yaml/go.sum" "$build/"
  src=$(cd "$build" && go mod download -json "github.com/pulumi/pulumi-yaml@$VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  cp "$src/cmd/pulumi-language-yaml/main.go" "$build/" && chmod u+w "$build/main.go"
  echo "[pulumi-yaml] go mod tidy" >&2
  (cd "$build" && go mod tidy)
  echo "[pulumi-yaml] go build -> $bin/pulumi-language-yaml" >&2
  ldflags="-X github.com/pulumi/pulumi-yaml/pkg/version.Version=$VERSION"
  (cd "$build" && nice -n 10 go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" \
    -o "$bin/pulumi-language-yaml.tmp" . && mv "$bin/pulumi-language-yaml.tmp" "$bin/pulumi-language-yaml")
fi
# The YAML host beside the CLI, our Node.js host and the dynamic-provider script: the engine finds plugins on PATH.
link() { [[ -x $path_dir/$2 ]] || ln -f "$1/$2" "$path_dir/$2" 2>/dev/null || cp -p "$1/$2" "$path_dir/$2"; }
link "$bin" pulumi-language-yaml
for f in pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs; do link "$cli_bin" "$f"; done
echo "$path_dir"
