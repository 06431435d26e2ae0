#!/usr/bin/env bash
# The test command (README "Test"): installs what is missing on a fresh Debian 12 machine, builds
# the native tree and the site (wasm), and runs every test: GoogleTest, the same suite again under
# AddressSanitizer and UBSan, each fuzz target for 30 s, then the node and browser tests (headless
# Chromium; screenshots in build/web-tests/). CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset native >/dev/null
cmake --build --preset native
ctest --preset native --output-on-failure --timeout 600
# The same suite with AddressSanitizer and UBSan (no host SIMD: see the native-asan preset).
cmake --preset native-asan >/dev/null
cmake --build --preset native-asan
ctest --preset native-asan --output-on-failure --timeout 900
# Every parser and entry point that takes outside bytes, fuzzed for a fixed time (fuzz/run.sh).
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
fuzz/run.sh 30
# The site (the core compiled to WebAssembly, the page, the weights, the offline files and the
# one-file page) in build/wasm/site, built by the same script the Pages workflow runs.
scripts/build_site.sh
source scripts/node/path.sh  # the pinned Node.js (scripts/setup.sh), which playwright-core needs
node --version
node --test --test-reporter=spec tests/web/*.test.mjs
echo "test: all passed"
