#!/usr/bin/env bash
# Runs every libFuzzer target of the fuzz preset for a fixed time each (one per core at a time)
# and fails on any finding (a crash, a sanitizer report, a broken round trip, a leak, over 2 GB
# of memory or 10 s on one input). The test command runs it with the default 30 s; run longer by
# hand, e.g.
#   fuzz/run.sh 600                 # ten minutes per target
#   fuzz/run.sh 3600 fuzz_weights   # one target for an hour
# Each target starts from its seeds in fuzz/corpus/<name>/ (plus the committed weights/ for
# fuzz_weights); what it finds new is kept in build/fuzz/corpus/<name>/ for the next run, and a
# failing input is written to build/fuzz/findings/ (reproduce: build/fuzz/bin/<target> FILE).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
shift || true
bin="$root/build/fuzz/bin"
targets=("$@")
((${#targets[@]})) || targets=($(cd "$bin" && ls fuzz_* | sort))
mkdir -p "$root/build/fuzz/findings"
# One target: its log in build/fuzz/<target>.log; on a finding, the log's end and where the input is.
fuzz_one() {
  local target=$1 name=${1#fuzz_}
  local corpus="$root/build/fuzz/corpus/$name"
  mkdir -p "$corpus"
  local seeds=("$root/fuzz/corpus/$name")
  [[ $name == weights ]] && seeds+=("$root/weights")
  if ! "$bin/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$root/build/fuzz/findings/$target-" "$corpus" "${seeds[@]}" \
       > "$root/build/fuzz/$target.log" 2>&1; then
    tail -n 40 "$root/build/fuzz/$target.log" >&2
    echo "fuzz: $target found a problem; the input is in build/fuzz/findings/ (log: build/fuzz/$target.log)" >&2
    return 1
  fi
  echo "fuzz: $target ran clean for ${seconds}s:" \
    "$(grep -E '^stat::number_of_executed_units' "$root/build/fuzz/$target.log" | tail -n 1)"
}
# As many targets at once as the machine has cores (FUZZ_JOBS to choose): each is one process.
jobs=${FUZZ_JOBS:-$(nproc)}
failed=0
running=0
for target in "${targets[@]}"; do
  echo "fuzz: $target for ${seconds}s"
  fuzz_one "$target" &
  if (( ++running >= jobs )); then
    wait -n || failed=1
    ((running--))
  fi
done
while ((running > 0)); do
  wait -n || failed=1
  ((running--))
done
((failed == 0)) || exit 1
echo "fuzz: ${#targets[@]} targets ran clean for ${seconds}s each"
