#!/usr/bin/env bash
# Crash safety, the long form of test_train_cli's kill test: train a run and SIGKILL it at random
# moments until KILLS kills have hit a live process (checkpoints every step, so many kills land
# inside a checkpoint write), resuming after each, and check that
#   - every checkpoint on disk loads after every kill (chatbench-cli eval on its own data),
#   - metrics.jsonl parses line by line (a torn last line is reported, never a crash),
#   - the final model equals an uninterrupted run's (validation loss to 1e-6).
# Usage: tests/scripts/crash_safety.sh BUILD_BIN_DIR [KILLS=25] [WORKDIR]
set -euo pipefail
bin=${1:?usage: crash_safety.sh BUILD_BIN_DIR [KILLS] [WORKDIR]}
kills=${2:-25}
work=${3:-$(mktemp -d)}
cli="$bin/chatbench-cli"
fixture="$(cd "$(dirname "$0")/../../../shared/fixtures/tiny-gpt2-zh" && pwd)"
mkdir -p "$work"
"$bin/make_chitchat_corpus" "$work/corpus.txt" 400 7 > /dev/null
cat > "$work/run.json" <<JSON
{"name": "crash", "model": {"preset": "tiny", "n_layer": 2, "n_head": 2, "n_embd": 64,
 "n_positions": 64}, "tokenizer": {"path": "$fixture"},
 "data": {"corpus": "corpus.txt", "max_len": 64, "valid_count": 20},
 "train": {"max_steps": 150, "batch_size": 8, "grad_accum": 1, "lr": 0.002, "warmup_steps": 5,
           "save_every": 1, "eval_every": 25, "keep_last": 3, "threads": 1}}
JSON
rm -rf "$work/whole" "$work/killed"
"$cli" train --config "$work/run.json" --out "$work/whole" --quiet > /dev/null

# A kill counts only when it hit a live process: the worker's exit status is then 128 + SIGKILL.
# A run that finishes (status 0) before the asked-for number of kills landed fails the script.
# The killed run's command: resume, or start when no kill let it write its run.json yet.
killed_run_args() {
  if [ -f "$work/killed/run.json" ]; then
    echo train --resume "$work/killed" --quiet
  else
    echo train --config "$work/run.json" --out "$work/killed" --quiet
  fi
}
survived=0
attempts=0
while ((survived < kills)); do
  attempts=$((attempts + 1))
  # shellcheck disable=SC2046 # the paths have no spaces (mktemp's, or the caller's WORKDIR)
  "$cli" $(killed_run_args) > /dev/null 2>&1 & # chatbench-cli itself: $! is what we kill
  pid=$!
  sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
  kill -9 "$pid" 2> /dev/null || true
  status=0
  wait "$pid" 2> /dev/null || status=$?
  if ((status == 0)); then
    echo "FAIL: the run finished after $survived of $kills kills (attempt $attempts); ask for fewer"
    exit 1
  elif ((status != 137)); then
    echo "FAIL: attempt $attempts: chatbench-cli train exited with status $status, not killed"
    exit 1
  fi
  survived=$((survived + 1))
  [ -f "$work/killed/run.json" ] || continue
  for c in "$work"/killed/checkpoints/step-*; do
    [ -d "$c" ] || continue
    "$cli" eval --model "$c" --data "$work/killed/data/valid.tokens" > /dev/null \
      || { echo "FAIL: $c does not load after kill $survived"; exit 1; }
  done
  python3 - "$work/killed/metrics.jsonl" <<'PY' || exit 1
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
for n, line in enumerate(lines[:-1], 1):
    json.loads(line)  # every complete line parses
if lines[-1]:
    print(f"  torn last line ({len(lines[-1])} bytes), skipped by readers")
PY
done
# shellcheck disable=SC2046
"$cli" $(killed_run_args) > /dev/null
a=$("$cli" eval --model "$work/whole/checkpoints/step-150" --data "$work/whole/data/valid.tokens")
b=$("$cli" eval --model "$work/killed/checkpoints/step-150" --data "$work/killed/data/valid.tokens")
python3 - "$a" "$b" "$survived" <<'PY'
import json, sys
a, b, kills = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
diff = abs(a["loss"] - b["loss"])
print(f"kills survived: {kills}; final validation loss {b['loss']:.6f} vs uninterrupted {a['loss']:.6f} (diff {diff:.2e})")
sys.exit(0 if diff < 1e-6 else 1)
PY
