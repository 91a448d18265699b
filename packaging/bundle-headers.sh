#!/usr/bin/env bash
# Copies what ChatBench's engine needs from this Debian machine's -dev packages into
# third_party/ (ignored by git), so a tarball of the source tree builds chatbench-cli on a
# machine that has a libtorch, CMake and a compiler but no package registry (a GPU server):
#   third_party/nlohmann/       nlohmann-json3-dev (header-only)
#   third_party/icu/{include,lib}  libicu-dev: the BERT tokenizer's Unicode tables. Not
#                               header-only: its shared libraries travel too (~37 MB), with the
#                               build's RPATH pointing at them.
#   third_party/gloo/gloo/      libgloo-dev headers, used only when the libtorch brings none
#                               (ProcessGroupGloo.hpp includes them; the code is in libtorch)
# CMake prefers the system's copies and falls back to these. Usage: packaging/bundle-headers.sh
# [OUT_DIR] (default: third_party beside this folder). Prints what it copied, as JSON.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/third_party}
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
libdir=/usr/lib/$multiarch

need() {
    if [ ! -e "$1" ]; then
        echo "bundle-headers.sh: $1 not found: install $2 (packaging/setup-deps.sh)" >&2
        exit 1
    fi
}
need /usr/include/nlohmann/json.hpp nlohmann-json3-dev
need /usr/include/unicode/uchar.h libicu-dev
need "$libdir/libicuuc.so" libicu-dev
need /usr/include/gloo/algorithm.h libgloo-dev

rm -rf "$out.tmp"
mkdir -p "$out.tmp/icu/include" "$out.tmp/icu/lib" "$out.tmp/gloo"
cp -a /usr/include/nlohmann "$out.tmp/nlohmann"
cp -a /usr/include/unicode "$out.tmp/icu/include/unicode"
cp -a /usr/include/gloo "$out.tmp/gloo/gloo"
for lib in uc i18n data; do
    real=$(readlink -f "$libdir/libicu$lib.so")
    soname=$(basename "$(readlink "$libdir/libicu$lib.so")") # libicuuc.so.72.1
    major=${soname%.*}                                          # libicuuc.so.72
    cp "$real" "$out.tmp/icu/lib/$soname"
    ln -sf "$soname" "$out.tmp/icu/lib/$major"
    ln -sf "$soname" "$out.tmp/icu/lib/libicu$lib.so"
done
# One step from a complete folder to the next: a half-copied third_party never looks usable.
rm -rf "$out"
mv "$out.tmp" "$out"

icu_version=$(sed -n 's/^#define U_ICU_VERSION "\(.*\)"/\1/p' "$out/icu/include/unicode/uvernum.h")
json_version=$(sed -n 's/^#define NLOHMANN_JSON_VERSION_\(MAJOR\|MINOR\|PATCH\) *\([0-9]*\).*/\2/p' \
    "$out/nlohmann/detail/abi_macros.hpp" | paste -sd.)
printf '{"out": "%s", "nlohmann_json": "%s", "icu": "%s", "gloo_headers": true, "bytes": %s}\n' \
    "$out" "$json_version" "$icu_version" "$(du -sb "$out" | cut -f1)"
