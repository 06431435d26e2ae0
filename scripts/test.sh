#!/usr/bin/env bash
# The test command (README "Test"): installs what is missing on a fresh Debian 12 machine, builds
# the native tree and the site (wasm), and runs every test: GoogleTest, the same suite again under
# AddressSanitizer and UBSan, each fuzz target for 30 s, then the node and browser tests (headless
# Chromium; screenshots in build/web-tests/). CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step's end is printed with the time so far, so a slow step shows in CI's log.
step_done() { echo "test: $1 done, $((SECONDS / 60)) min $((SECONDS % 60)) s so far"; }

scripts/setup.sh
step_done setup
cmake --preset native >/dev/null
cmake --build --preset native
ctest --preset native --output-on-failure --timeout 600
step_done "native build and GoogleTest"
# The same suite with AddressSanitizer and UBSan (no host SIMD: see the native-asan preset).
cmake --preset native-asan >/dev/null
cmake --build --preset native-asan
ctest --preset native-asan --output-on-failure --timeout 900
step_done "sanitizer build and GoogleTest"
# Every parser and entry point that takes outside bytes, fuzzed for a fixed time (fuzz/run.sh).
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
fuzz/run.sh 30
step_done "fuzzing"
# The site (the core compiled to WebAssembly, the page, the weights, the offline files and the
# one-file page) in build/wasm/site, built by the same script the Pages workflow runs.
scripts/build_site.sh
step_done "site build"
source scripts/node/path.sh  # the pinned Node.js (scripts/setup.sh), which playwright-core needs
node --version
node --test --test-reporter=spec tests/web/*.test.mjs
step_done "node and browser tests"
echo "test: all passed"
