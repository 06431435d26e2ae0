#!/usr/bin/env bash
# The test command (README "Test"): installs what is missing on a fresh Debian 12 machine, builds
# the native tree and the wasm core, and runs every test. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset native >/dev/null
cmake --build --preset native
ctest --preset native --output-on-failure --timeout 600
# The core must keep compiling to WebAssembly (no threads, no host headers, no exceptions).
cmake --preset wasm >/dev/null
cmake --build --preset wasm
echo "test: all passed"
