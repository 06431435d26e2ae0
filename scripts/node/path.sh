# Sourced by the scripts that run Node.js (build_site.sh, serve.sh, test.sh): puts the Node.js and
# npm pinned in package-lock.json beside this file first on PATH. scripts/setup.sh installs them.
# (Node's own folder, not node_modules/.bin: Debian's npm 9 links no bin called "node".)
digits_node_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case $(uname -m) in
  x86_64) digits_node_arch=x64 ;;
  aarch64 | arm64) digits_node_arch=arm64 ;;
  *) digits_node_arch=unpinned ;;
esac
PATH="$digits_node_dir/node_modules/node-linux-$digits_node_arch/bin:$digits_node_dir/node_modules/.bin:$PATH"
export PATH
unset digits_node_dir digits_node_arch
# Trust the system's certificate store (/etc/ssl/certs) as Debian's own node does, not only the
# authorities built into Node: behind a proxy whose authority the system trusts, npm then reaches
# the registry as Debian's npm did.
export NODE_USE_SYSTEM_CA=1
# npm is upgraded in package-lock.json; its notice would suggest a global install instead.
export npm_config_update_notifier=false
