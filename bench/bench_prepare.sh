#!/usr/bin/env bash
# Times `chatbench-cli prepare` on a corpus shaped like GPT2-chitchat's 500K set: without
# conversion, with OpenCC s2twp, on one thread, and re-opening the cache; beside `spm_encode`
# (Debian package sentencepiece) encoding the same file with a model trained on a slice of it.
# Prints wall and CPU time, MB/s of corpus (by wall time) and peak RSS for each, all from the
# same run. On a shared machine wall time is noisy; CPU time shows the work.
#
# Usage: bench/bench_prepare.sh [BUILD_DIR=build/release] [DIALOGUES=500000]
# Needs: the build's chatbench-cli and make_chitchat_corpus, spm_train/spm_encode, python3,
# GNU time (/usr/bin/time).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-build/release}" && pwd)/bin
dialogues=${2:-500000}
fixture=${CHATBENCH_FIXTURES_DIR:-$here/../shared/fixtures}/tiny-gpt2-zh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin/make_chitchat_corpus" "$work/corpus.txt" "$dialogues" >/dev/null
bytes=$(stat -c %s "$work/corpus.txt")

# A BERT-style tokenizer that knows the corpus's characters: the fixture's (so [PAD]=0,
# [UNK]=100, [CLS]=101, [SEP]=102) plus every character of the first megabyte it lacks. The
# generator draws from a fixed alphabet, so that megabyte holds all of them.
mkdir "$work/tok"
cp "$fixture"/tokenizer_config.json "$fixture"/special_tokens_map.json "$work/tok/"
python3 - "$fixture/vocab.txt" "$work/corpus.txt" "$work/tok/vocab.txt" <<'EOF'
import sys
vocab = open(sys.argv[1], encoding="utf-8").read().split("\n")
vocab = [v for v in vocab if v]
known = set(vocab)
with open(sys.argv[2], encoding="utf-8") as f:
    text = f.read(1 << 20)
for ch in sorted(set(text)):
    if not ch.isspace() and ch not in known:
        vocab.append(ch)
        known.add(ch)
open(sys.argv[3], "w", encoding="utf-8").write("\n".join(vocab) + "\n")
EOF

# A unigram model trained on a slice (the first 20,000 lines), so spm_encode has work like a
# real vocabulary's.
head -n 20000 "$work/corpus.txt" | grep -v '^$' >"$work/slice.txt"
spm_train --input="$work/slice.txt" --model_prefix="$work/spm" --vocab_size=4000 \
    --character_coverage=0.9995 --model_type=unigram --minloglevel=2 >/dev/null 2>&1

printf '%s: %d dialogues, %.1f MB, %d cores\n' "corpus" "$dialogues" \
    "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$(nproc)"
printf '%-34s %8s %8s %9s %9s\n' "run" "wall s" "cpu s" "MB/s" "peak MiB"

# measure NAME COMMAND...: runs it under GNU time and prints a row.
measure() {
    local name=$1
    shift
    /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr" || {
        echo "$name failed:" >&2
        cat "$work/stderr" >&2
        exit 1
    }
    read -r wall rss user sys <"$work/time"
    awk -v n="$name" -v w="$wall" -v r="$rss" -v u="$user" -v s="$sys" -v b="$bytes" \
        'BEGIN { printf "%-34s %8.2f %8.2f %9.1f %9.0f\n", n, w, u + s, (w > 0 ? b / 1e6 / w : 0), r / 1024 }'
}

cli="$bin/chatbench-cli"
measure "prepare (all cores)" "$cli" prepare --corpus "$work/corpus.txt" --tokenizer "$work/tok" \
    --out "$work/plain" --val 1000
measure "prepare again (cache hit)" "$cli" prepare --corpus "$work/corpus.txt" \
    --tokenizer "$work/tok" --out "$work/plain" --val 1000
grep -Eq '"cache_hit": ?true' "$work/stdout" || echo "warning: the second prepare missed the cache" >&2
measure "prepare --threads 1" "$cli" prepare --corpus "$work/corpus.txt" --tokenizer "$work/tok" \
    --out "$work/one" --val 1000 --threads 1 --no-reuse
measure "prepare --convert s2twp" "$cli" prepare --corpus "$work/corpus.txt" \
    --tokenizer "$work/tok" --out "$work/s2twp" --val 1000 --convert s2twp
measure "spm_encode (1 thread, unigram 4K)" sh -c \
    "spm_encode --model='$work/spm.model' --output_format=id <'$work/corpus.txt' >/dev/null"
