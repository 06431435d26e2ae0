#!/usr/bin/env bash
# Try the page: builds the site into build/wasm/site (scripts/build_site.sh, which installs what is
# missing; no data set, no browser) and serves it on localhost; it prints the address to open.
# Extra arguments go to the server:
#   scripts/serve.sh                  # http://127.0.0.1:8000/
#   scripts/serve.sh --port 9000 --host 0.0.0.0   # e.g. for a tablet on the same network
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build_site.sh
source scripts/node/path.sh  # the pinned Node.js (scripts/setup.sh)
exec node wasm/site/serve.mjs build/wasm/site "$@"
