#!/usr/bin/env bash
# Generation speed matrix: ms per new token at batch 1 (top-k 8) for the tiny, small and base
# presets at 32 / 128 / 512 tokens of context and 1 / 2 threads, five ways:
#   fast step   - KV cache, each new token through the engine's own single-token step
#   CBLAS step  - the same step with the portable kernels (CHATBENCH_CPU_KERNEL=portable): its
#                 float32 products through CBLAS sgemv (OpenBLAS) instead of the AVX2 kernels
#   bf16 step   - the same reading bfloat16 copies of the weight matrices (--precision bf16)
#   torch step  - KV cache, each new token through torch ops (--torch-step)
#   recompute   - no cache: every token re-encodes the whole context (GPT2-chitchat, nanoGPT)
# and, per run, the memory-bandwidth floor: the weights a step reads / memcpy bandwidth measured
# in the same process. Prints a Markdown table (and the load average before and after: the
# figures are only as quiet as the machine was). About 10-15 minutes on a 2-core machine.
#
#   bench/bench_generate.sh BUILD_DIR [PRESETS] [THREADS]
#   e.g. bench/bench_generate.sh build/release "tiny small base" "1 2"
set -euo pipefail

build=${1:?usage: bench_generate.sh BUILD_DIR [PRESETS] [THREADS]}
presets=${2:-tiny small base}
threads_list=${3:-1 2}
cli="$build/bin/chatbench-cli"
[ -x "$cli" ] || { echo "bench_generate.sh: $cli not found or not executable" >&2; exit 1; }

# One number from the one-line JSON bench generate prints.
field() { sed -E "s/.*\"$1\":([^,}]*).*/\1/" <<<"$2"; }
# awk's arithmetic, printed with DIGITS decimals (default 2): calc EXPRESSION [DIGITS].
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }

# Recompute re-encodes the context for every token: fewer tokens keep the matrix short.
recompute_new() {
  case $1 in tiny) echo 32 ;; small) echo 16 ;; *) echo 8 ;; esac
}

weights=""
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(date -u +%FT%TZ)"
echo
echo "| model | threads | context | fast step | CBLAS step | bf16 step | torch step | recompute | recompute / fast | floor | fast / floor | CBLAS / floor | bf16 / bf16 floor | copy GB/s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for preset in $presets; do
  for threads in $threads_list; do
    for context in 32 128 512; do
      base=(bench generate --preset "$preset" --context "$context" --threads "$threads")
      fast=$("$cli" "${base[@]}" --new 64)
      blas=$(CHATBENCH_CPU_KERNEL=portable "$cli" "${base[@]}" --new 64)
      bf16=$("$cli" "${base[@]}" --new 64 --precision bf16)
      torch=$("$cli" "${base[@]}" --new 64 --torch-step)
      recompute=$("$cli" "${base[@]}" --new "$(recompute_new "$preset")" --no-cache)
      f=$(field ms_per_token "$fast")
      c=$(field ms_per_token "$blas")
      b=$(field ms_per_token "$bf16")
      t=$(field ms_per_token "$torch")
      r=$(field ms_per_token "$recompute")
      floor=$(field floor_ms_per_token "$fast")
      echo "| $preset | $threads | $context | $(calc "$f") | $(calc "$c") | $(calc "$b") |" \
        "$(calc "$t") | $(calc "$r") | $(calc "$r / $f" 1)x | $(calc "$floor") |" \
        "$(calc "$f / $floor") | $(calc "$c / $(field floor_ms_per_token "$blas")") |" \
        "$(calc "$b / $(field floor_ms_per_token "$bf16")") |" \
        "$(calc "$(field copy_gb_per_s "$fast")" 1) |"
    done
  done
  weights+="${weights:+, }$preset $(calc "$(field weight_bytes "$fast") / 1e6" 1) MB"
done
echo
echo "float32 weights a step reads: $weights"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
echo "ms per new token (average of the steps after the first); floor = weight bytes / copy"
echo "bandwidth (memcpy of 512 MiB, same threads, best of 5; bytes read + written per second,"
echo "as STREAM counts them) measured in the fast-step run; the bf16 floor counts 2 bytes a weight."
