#!/usr/bin/env bash
# Builds ponder's native decode step (native/ponder-native.cc) for the embedded engine, once per
# machine, against the llama.cpp headers of the commit node-llama-cpp ships (its git bundle) and
# node-llama-cpp's own prebuilt libllama: the addon goes to a cache folder keyed by node-llama-cpp's version and
# the source, and later calls only print its path. Without it the engine runs node-llama-cpp's
# per-token path, slower and with the same results. Takes a few seconds.
#
#   scripts/build-native.sh                  # build if needed, print the addon's path
#   PONDER_CACHE_DIR=/some/dir scripts/...   # cache root (default $XDG_CACHE_HOME/ponder, else ~/.cache/ponder)
set -euo pipefail
cd "$(dirname "$0")/.."

# Folders of the packages it builds against, wherever npm put them (this checkout, or a project that
# installed ponder-ttc): node-llama-cpp, its prebuilt linux-x64 binaries, and the N-API headers.
dirs=$(node -e '
  const { createRequire } = require("node:module");
  const path = require("node:path");
  const fs = require("node:fs");
  const here = createRequire(path.resolve("package.json"));
  const nlc = path.resolve(path.dirname(here.resolve("node-llama-cpp")), "..");
  const fromNlc = createRequire(path.join(nlc, "package.json"));
  const find = (name, from) => { try { return path.dirname(from.resolve(name + "/package.json")); } catch { return ""; } };
  const linux = [path.join(nlc, "..", "@node-llama-cpp", "linux-x64", "bins", "linux-x64"), path.join(nlc, "node_modules", "@node-llama-cpp", "linux-x64", "bins", "linux-x64")].find((d) => fs.existsSync(d)) ?? "";
  const api = find("node-addon-api", here) || find("node-addon-api", fromNlc);
  const headers = find("node-api-headers", here) || find("node-api-headers", fromNlc);
  console.log([nlc, linux, api, headers, JSON.parse(fs.readFileSync(path.join(nlc, "package.json"), "utf8")).version].join("\n"));
' 2>/dev/null) || { echo "build-native: node-llama-cpp is not installed; run npm install first" >&2; exit 2; }
{ read -r nlc_dir; read -r libdir; read -r addon_api; read -r headers; read -r nlc; } <<<"$dirs"
bundle="$nlc_dir/llama/gitRelease.bundle"
[ -f "$bundle" ] || { echo "build-native: $bundle is missing" >&2; exit 2; }
commit=$(git bundle list-heads "$bundle" | awk '$2 == "HEAD" { print $1 }')
[ -n "$commit" ] || { echo "build-native: no HEAD in $bundle" >&2; exit 2; }
[ -n "$libdir" ] || { echo "build-native: node-llama-cpp's prebuilt linux-x64 binaries are missing (only linux-x64 is supported)" >&2; exit 2; }
lib=$(ls "$libdir"/libllama*.so 2>/dev/null | grep -v common | head -1)
[ -n "$lib" ] || { echo "build-native: no libllama in $libdir" >&2; exit 2; }
[ -d "$addon_api" ] && [ -d "$headers/include" ] || { echo "build-native: node-addon-api or node-api-headers is missing; run npm install first" >&2; exit 2; }
headers="$headers/include"
command -v "${CXX:-g++}" >/dev/null || { echo "build-native: no C++ compiler (apt-get install -y g++)" >&2; exit 2; }

# The key src/backends/llama/native-binding.ts looks for: node-llama-cpp's version (which fixes the
# llama.cpp commit and the prebuilt libllama) and a hash of the addon's source.
key="nlc-$nlc-$(sha256sum native/ponder-native.cc | cut -c1-16)"
root="${PONDER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ponder}/native/$key"
addon="$root/ponder-native.node"
if [ -f "$addon" ]; then
  echo "$addon"
  exit 0
fi
mkdir -p "$root"
work=$(mktemp -d "$root/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone --quiet --bare "$bundle" "$work/src.git"
git -C "$work/src.git" archive "$commit" include ggml/include | tar -x -C "$work"
# -fvisibility=hidden keeps this addon's copy of node-addon-api's templates to itself.
"${CXX:-g++}" -std=c++17 -O2 -fPIC -shared -fvisibility=hidden -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS -DNODE_ADDON_API_DISABLE_DEPRECATED \
  -I"$addon_api" -I"$headers" -I"$work/include" -I"$work/ggml/include" \
  native/ponder-native.cc -o "$work/ponder-native.node" "$lib" -Wl,-rpath,"$libdir" 2>"$work/build.log" ||
  { cat "$work/build.log" >&2; exit 1; }
# Copy then rename, so that a half-written addon is never taken for a finished one.
cp "$work/ponder-native.node" "$root/ponder-native.node.tmp"
mv "$root/ponder-native.node.tmp" "$addon"
echo "$addon"
