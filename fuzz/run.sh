#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang, ASan + UBSan) and runs each one for
# SECONDS_PER_TARGET (default 60), one after another. Seeds come from fuzz/corpus/<target>
# (read only); what libFuzzer adds goes to build/fuzz/work/<target>, crashes, leaks, timeouts and
# out-of-memory inputs to fuzz/findings/<target>/. Prints one line per target and exits
# non-zero when any target found something.
#
#   fuzz/run.sh [SECONDS_PER_TARGET]
#   FUZZ_TARGETS="safetensors transcript" fuzz/run.sh 30   # a subset
set -uo pipefail

seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

all_targets="safetensors gpt2_config wordpiece_vocab corpus_chitchat corpus_lccc corpus_jsonl
metrics_line transcript run_config token_cache"
targets=${FUZZ_TARGETS:-$all_targets}

cmake --preset fuzz >/dev/null || exit 2
cmake --build --preset fuzz || exit 2

bin=build/fuzz/bin
export TMPDIR="$root/build/fuzz/tmp"
mkdir -p "$TMPDIR"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=0
summary=()
for t in $targets; do
  work=build/fuzz/work/$t
  findings=fuzz/findings/$t
  log=build/fuzz/logs/$t.log
  mkdir -p "$work" "$findings" "$(dirname "$log")"
  echo "fuzz: $t for ${seconds}s" >&2
  "$bin/fuzz_$t" "$work" "fuzz/corpus/$t" -dict=fuzz/dict/json.dict \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$findings/" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  found=$(find "$findings" -type f | wc -l)
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    failed=1
    result="FOUND $found (rc $rc, see $log and $findings/)"
  else
    rmdir "$findings" 2>/dev/null
    result="nothing found"
  fi
  summary+=("$(printf '%-16s %10s runs %7s exec/s  %-22s %s' "$t" "${runs:-?}" "${rate:-?}" \
    "${cov:-cov: ?}" "$result")")
done
rm -rf "$TMPDIR"

printf '%s\n' "${summary[@]}"
exit $failed
