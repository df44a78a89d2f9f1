#!/usr/bin/env bash
# Builds the Pulumi CLI and its Node.js plugins from Pulumi's Go modules: the CLI into <cache>/pulumi/<version>/bin,
# our language host into <cache>/pulumi/<version>/bin-host-<hash of its sources>, with the CLI linked beside it.
# Usage: build.sh [cache-root]   (default: $PULUMI_ES_MIGRATE_CACHE, else <repo>/.cache)
# Warm runs return at once: the Go toolchain is only invoked for a binary that is missing.
set -euo pipefail

VERSION=v3.259.0
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${PULUMI_ES_MIGRATE_CACHE:-$here/../../../.cache}}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
bin=$cache/pulumi/$VERSION/bin
build=$cache/pulumi/$VERSION/build
# The language host is our own code and changes with this repository: its binary lives in a folder named after a
# hash of its sources (the same hash as hostSourceHash() in test/world/pulumi.ts), beside hard links to the CLI, so
# a changed host is rebuilt in every clone and worktree that shares this cache, and an older one stays usable.
host_hash=$(cat "$here/language-nodejs/main.go" "$here/language-nodejs/packages.go" "$here/language-nodejs/go.mod" \
  "$here/language-nodejs/go.sum" | sha256sum | cut -c1-12)
host_bin=$cache/pulumi/$VERSION/bin-host-$host_hash
mkdir -p "$bin" "$build" "$host_bin"
# One build at a time (a test run and `npm run pulumi` may both ask for the CLI on a cold machine).
exec 9>"$cache/pulumi/$VERSION/.build.lock"
flock 9

export GOMODCACHE=$cache/go/mod
export GOCACHE=$cache/go/build
export GOFLAGS=-buildvcs=false
export GOTOOLCHAIN=local
# The checksum database is not reachable from this machine; go.sum (checked in beside go.mod) pins the modules.
export GOSUMDB=${GOSUMDB_FOR_PULUMI_BUILD:-off}

ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$VERSION"
buildflags=(-trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags")

# build_wrapper DEST NAME OUTPUT [MODULE@VERSION SUBDIR]: copy the wrapper module NAME (its go.mod, go.sum and own
# .go files), add the `package main` files of SUBDIR of the downloaded MODULE if given, tidy (a no-op while the
# checked-in go.sum is complete) and build OUTPUT into the folder DEST.
build_wrapper() {
  local dest=$1 name=$2 out=$3 module=${4:-} subdir=${5:-}
  if [[ -x $dest/$out ]]; then return 0; fi
  local dir=$build/$name
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$here/$name"/go.mod "$dir/"
  [[ -f $here/$name/go.sum ]] && cp "$here/$name/go.sum" "$dir/"
  compgen -G "$here/$name/*.go" >/dev/null && cp "$here/$name"/*.go "$dir/"
  if [[ -n $module ]]; then
    local src
    src=$(cd "$dir" && go mod download -json "$module" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    for f in "$src/$subdir"/*.go; do
      case $f in *_test.go) continue ;; esac
      cp "$f" "$dir/" && chmod u+w "$dir/$(basename "$f")"
    done
  fi
  echo "[pulumi-cli] $name: go mod tidy" >&2
  (cd "$dir" && go mod tidy)
  echo "[pulumi-cli] $name: go build -> $dest/$out" >&2
  (cd "$dir" && go build "${buildflags[@]}" -o "$dest/$out.tmp" . && mv "$dest/$out.tmp" "$dest/$out")
}

build_wrapper "$bin" cli pulumi "github.com/pulumi/pulumi/pkg/v3@$VERSION" cmd/pulumi
# Our own minimal host (Pulumi's pulumi-language-nodejs module is not served here; see language-nodejs/main.go).
buildflags=(-trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags -X main.version=${VERSION#v}")
build_wrapper "$host_bin" language-nodejs pulumi-language-nodejs

# Dynamic providers run through this shell script (it starts @pulumi/pulumi/cmd/dynamic-provider with node);
# the module zip drops its run bit.
if [[ ! -x $bin/pulumi-resource-pulumi-nodejs ]]; then
  sdk=$(cd "$build" && go mod download -json "github.com/pulumi/pulumi/sdk/v3@$VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  cp "$sdk/nodejs/dist/pulumi-resource-pulumi-nodejs" "$bin/"
  chmod 0755 "$bin/pulumi-resource-pulumi-nodejs"
fi
# The CLI and the dynamic-provider script beside the host: the engine looks for plugins next to the CLI and on PATH.
for f in pulumi pulumi-resource-pulumi-nodejs; do
  [[ -x $host_bin/$f ]] || ln -f "$bin/$f" "$host_bin/$f" 2>/dev/null || cp -p "$bin/$f" "$host_bin/$f"
done
echo "$host_bin"
