#!/usr/bin/env bash
# Builds llama.cpp's llama-server from the llama.cpp source that node-llama-cpp ships (a git
# bundle of the same commit ponder embeds), CPU only, offline, once per machine: the binary
# goes to a cache folder keyed by that commit and later calls only print its path.
#
#   scripts/build-llama-server.sh            # build if needed, print the binary's path
#   PONDER_CACHE_DIR=/some/dir scripts/...   # cache root (default ~/.cache/ponder)
#   LLAMA_SERVER_JOBS=1 scripts/...          # parallel compile jobs (default: the core count)
#
# Static (-DBUILD_SHARED_LIBS=OFF) and portable (-DGGML_NATIVE=OFF): one binary that runs on
# any x86-64 machine of this kind. Takes about 10 minutes of 2 cores from a clean cache.
set -euo pipefail
cd "$(dirname "$0")/.."

bundle=node_modules/node-llama-cpp/llama/gitRelease.bundle
[ -f "$bundle" ] || { echo "build-llama-server: $bundle is missing; run npm install first" >&2; exit 2; }
commit=$(git bundle list-heads "$bundle" | awk '$2 == "HEAD" { print $1 }')
[ -n "$commit" ] || { echo "build-llama-server: no HEAD in $bundle" >&2; exit 2; }

root="${PONDER_CACHE_DIR:-$HOME/.cache/ponder}/llama-server/${commit:0:12}"
binary="$root/bin/llama-server"
if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

command -v cmake >/dev/null || { echo "build-llama-server: cmake not found (apt-get install -y cmake)" >&2; exit 2; }
mkdir -p "$root"
# One build per cache folder at a time: a second caller waits for the first and takes its binary.
if command -v flock >/dev/null; then
  exec 9>"$root/.lock"
  flock 9
  if [ -x "$binary" ]; then
    echo "$binary"
    exit 0
  fi
fi
work=$(mktemp -d "$root/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
echo "build-llama-server: building llama.cpp ${commit:0:12} into $root (about 10 minutes of 2 cores)" >&2
git clone --quiet --no-checkout "$bundle" "$work/src"
git -C "$work/src" -c advice.detachedHead=false checkout --quiet "$commit"
# No web UI (and no download of a prebuilt one), no HTTPS (loopback HTTP only, and no libssl to
# depend on), ggml's own threads rather than OpenMP (no libgomp): the binary needs only libc,
# libm, libstdc++ and libgcc_s.
cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON \
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF -DGGML_OPENMP=OFF \
  -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=OFF >"$work/cmake.log" 2>&1 ||
  { tail -30 "$work/cmake.log" >&2; exit 1; }
cmake --build "$work/build" --target llama-server -j "${LLAMA_SERVER_JOBS:-$(nproc)}" >"$work/build.log" 2>&1 ||
  { tail -40 "$work/build.log" >&2; exit 1; }
"$work/build/bin/llama-server" --version >"$work/version.log" 2>&1 ||
  { cat "$work/version.log" >&2; echo "build-llama-server: the built binary does not run" >&2; exit 1; }
mkdir -p "$root/bin"
# Copy then rename, so that a half-written binary is never taken for a finished one.
cp "$work/build/bin/llama-server" "$root/bin/llama-server.tmp"
mv "$root/bin/llama-server.tmp" "$binary"
echo "build-llama-server: built in $(( $(date +%s) - start )) s" >&2
echo "$binary"
