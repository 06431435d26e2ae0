#!/usr/bin/env bash
# Builds the static site into build/wasm/site, installing what is missing first
# (scripts/setup.sh --site: Emscripten, CMake, Eigen, Node, rsvg-convert, esbuild; no data set,
# no browser). The one build command for every use: scripts/serve.sh and scripts/test.sh call it,
# and so does the GitHub Pages workflow (.github/workflows/pages.yml), which publishes the folder.
# What it writes (wasm/CMakeLists.txt): the page, the module, the weights, the manifest, the icons,
# the service worker sw.js with its content-hashed precache list, and digit-drawer.html, the whole
# page in one self-contained file. Prints the folder's path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --site
source scripts/node/path.sh  # the site's build steps (precache, one-file page) run on it
cmake --preset wasm >/dev/null
cmake --build --preset wasm
echo "build_site: the site is in $(pwd)/build/wasm/site"
