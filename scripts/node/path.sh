# Sourced by the scripts that run Node.js (build_site.sh, serve.sh, test.sh): puts the Node.js
# pinned in package-lock.json beside this file first on PATH. scripts/setup.sh installs it.
PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/node_modules/.bin:$PATH"
export PATH
