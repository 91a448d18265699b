#!/usr/bin/env bash
# The GPU check of issue 8, as one prepared script for a lent GPU machine (CUDA, PyTorch 2.x,
# CMake and ninja; no Qt, no -dev packages, no package registry): configures a headless CUDA
# build against PyTorch's libtorch, builds chatbench-cli, generates a chitchat-like corpus and
# trains the base preset (12 layers, 12 heads, 768 wide) for a few hundred steps on cuda:0 in
# fp32 and in bf16. Prints JSON lines on stdout: the machine, each build phase, each run's
# tokens/s and losses, `bench train` figures. Progress goes to stderr. Aim: ~8 minutes on an
# H100 machine with 16 cores.
#
# Usage: bench/gpu_check.sh [BUILD_DIR=build/gpu]
# Environment (defaults for the GPU run; the dry run on a CPU machine overrides them):
#   GPU_CHECK_CUDA=ON  GPU_CHECK_DEVICE=cuda:0  GPU_CHECK_PRESET=base  GPU_CHECK_STEPS=300
#   GPU_CHECK_BATCH=32  GPU_CHECK_DIALOGUES=60000  GPU_CHECK_JOBS=$(nproc)
#   GPU_CHECK_OUT=$BUILD_DIR/gpu-check (corpus and runs)  GPU_CHECK_BUILD_TYPE=Release
#   GPU_CHECK_CMAKE_ARGS="" (more -D options, split on spaces)
# Before travelling: run packaging/bundle-headers.sh on the Debian machine, so third_party/
# carries nlohmann-json, ICU and gloo's headers for a server that has none of them.
set -euo pipefail

cd "$(dirname "$0")/.."
build=${1:-build/gpu}
cuda=${GPU_CHECK_CUDA:-ON}
device=${GPU_CHECK_DEVICE:-cuda:0}
preset=${GPU_CHECK_PRESET:-base}
steps=${GPU_CHECK_STEPS:-300}
batch=${GPU_CHECK_BATCH:-32}
dialogues=${GPU_CHECK_DIALOGUES:-60000}
jobs=${GPU_CHECK_JOBS:-$(nproc)}
out=${GPU_CHECK_OUT:-$build/gpu-check}
build_type=${GPU_CHECK_BUILD_TYPE:-Release}
read -r -a extra_cmake_args <<< "${GPU_CHECK_CMAKE_ARGS:-}"
started=$(date +%s.%N)

log() { echo "gpu_check: $*" >&2; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
json_string() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }

# The machine: card, driver, PyTorch (the libtorch we build against), CPU.
gpu="none"
if command -v nvidia-smi >/dev/null 2>&1; then
    gpu=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | head -1) ||
        gpu="nvidia-smi failed"
fi
prefix=""
torch_version="none"
if python3 -c 'import torch' 2>/dev/null; then
    prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
    torch_version=$(python3 -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda)')
elif [ "$cuda" = "ON" ]; then
    log "python3 cannot import torch: a CUDA build needs PyTorch's libtorch"
    exit 1
fi
echo "{\"event\": \"machine\", \"gpu\": $(json_string "$gpu"), \"torch\": $(json_string "$torch_version"), \"cpus\": $(nproc), \"cmake\": $(json_string "$(cmake --version | head -1)")}"

# Configure: no Qt, no tests; OpenCC/SentencePiece used only if present. Naming the GPU's
# architectures spares torch's CMake a detection run (H100: 9.0; falls back to the card's own).
t=$(date +%s.%N)
cmake_args=(-S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DCHATBENCH_GUI=OFF
    -DCHATBENCH_TESTS=OFF -DCHATBENCH_CUDA="$cuda" "${extra_cmake_args[@]}")
[ -n "$prefix" ] && cmake_args+=("-DCMAKE_PREFIX_PATH=$prefix")
command -v ccache >/dev/null 2>&1 && cmake_args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [ "$cuda" = "ON" ] && [ -z "${TORCH_CUDA_ARCH_LIST:-}" ] && command -v nvidia-smi >/dev/null; then
    # An old driver without compute_cap leaves the detection to torch's CMake.
    if arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1) &&
        [ -n "$arch" ]; then
        export TORCH_CUDA_ARCH_LIST=$arch
    fi
fi
mkdir -p "$(dirname "$build")"
log "configuring $build (${cmake_args[*]})"
cmake "${cmake_args[@]}" > "$build.configure.log" 2>&1 || {
    tail -30 "$build.configure.log" >&2
    exit 1
}
grep -E "ChatBench:|nlohmann|ICU|opencc|sentencepiece" "$build.configure.log" >&2 || true
echo "{\"event\": \"configure\", \"seconds\": $(elapsed "$t"), \"summary\": $(json_string "$(grep "ChatBench:" "$build.configure.log" | sed 's/^-- //')")}"

t=$(date +%s.%N)
log "building chatbench-cli and make_chitchat_corpus with $jobs jobs"
cmake --build "$build" --target chatbench-cli make_chitchat_corpus -j "$jobs" > "$build.build.log" 2>&1 || {
    grep -E "error|Error" "$build.build.log" | head -30 >&2
    exit 1
}
echo "{\"event\": \"build\", \"seconds\": $(elapsed "$t"), \"jobs\": $jobs}"
cli="$build/bin/chatbench-cli"
"$cli" --version >&2

mkdir -p "$out"
corpus="$out/chitchat.txt"
if [ ! -s "$corpus" ]; then
    "$build/bin/make_chitchat_corpus" "$corpus" "$dialogues" 1 >&2
fi
echo "{\"event\": \"corpus\", \"file\": $(json_string "$corpus"), \"dialogues\": $dialogues, \"bytes\": $(stat -c %s "$corpus")}"

# Both runs share one WordPiece vocabulary (the first run builds it from the corpus).
tokenizer_args=()
for precision in fp32 bf16; do
    run="$out/$preset-$precision"
    rm -rf "$run"
    t=$(date +%s.%N)
    log "training $preset for $steps steps on $device in $precision"
    "$cli" train --corpus "$corpus" --out "$run" --preset "$preset" "${tokenizer_args[@]}" \
        --max-steps "$steps" --batch-size "$batch" --grad-accum 1 --lr 3e-4 --warmup 30 \
        --max-len 128 --val 500 --eval-every "$steps" --save-every "$steps" \
        --device "$device" --precision "$precision" --quiet > "$run.json"
    seconds=$(elapsed "$t")
    python3 - "$run.json" "$run/metrics.jsonl" "$precision" "$device" "$preset" "$seconds" "$gpu" <<'PY'
import json, sys
summary_file, metrics_file, precision, device, preset, seconds, gpu = sys.argv[1:]
summary = json.load(open(summary_file))
train = [e for m in open(metrics_file) if m.strip() for e in [json.loads(m)] if e["event"] == "train"]
# Throughput after the first 10% of steps: the first steps pay for allocation and autotuning.
start = train[len(train) // 10]
steady = (train[-1]["tokens"] - start["tokens"]) / max(train[-1]["time"] - start["time"], 1e-9)
print(json.dumps({"event": "train", "gpu": gpu, "device": device, "preset": preset,
    "precision": precision, "steps": summary["step"], "state": summary["state"],
    "tokens": summary.get("tokens"), "train_seconds": summary.get("time_s"),
    "tokens_per_s_mean": summary["tokens"] / summary["time_s"] if summary.get("time_s") else None,
    "tokens_per_s_steady": steady, "first_loss": train[0]["loss"], "last_loss": train[-1]["loss"],
    "valid_loss": summary.get("valid", {}).get("loss"), "wall_seconds": float(seconds)}))
PY
    tokenizer_args=(--tokenizer "$run/tokenizer")
done

for precision in fp32 bf16; do
    log "bench train --preset $preset --precision $precision"
    "$cli" bench train --preset "$preset" --batch-size "$batch" --seq 128 --steps 20 \
        --device "$device" --precision "$precision" |
        python3 -c 'import json,sys; d=json.load(sys.stdin); d["event"]="bench_train"; print(json.dumps(d))'
done
echo "{\"event\": \"done\", \"seconds\": $(elapsed "$started")}"
