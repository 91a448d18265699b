#!/usr/bin/env bash
# Installs the Debian 12 packages ChatBench needs. Idempotent: when everything is already
# installed it only checks and exits (about a second).
#
#   bash packaging/setup-deps.sh          everything: build, GUI, tests, sanitizers, fuzzing
#   bash packaging/setup-deps.sh --demo   only what `cmake --preset demo` and the demo need
set -euo pipefail

# The demo's build: chatbench-cli with the report library (Qt widgets draw its figures offscreen).
demo_packages=(
  build-essential cmake ninja-build pkg-config
  libtorch-dev            # GPT-2 forward/backward, optimizers (CPU libtorch 1.13)
  libopenblas0-openmp     # fast BLAS for libtorch: reference BLAS is ~20x slower
  libblas-dev             # cblas.h and libblas.so: the decoding step on CPUs without AVX2
  nlohmann-json3-dev      # config.json, safetensors headers, run files, metrics
  libicu-dev              # Unicode categories and NFD for the BERT WordPiece tokenizer
  libopencc-dev opencc    # Simplified <-> Traditional Chinese conversion of corpora
  libgloo-dev             # headers of torch.distributed's Gloo backend (data-parallel training)
  libcurl4-openssl-dev    # downloads from the Hugging Face Hub (HTTPS, redirects, resume)
  libssl-dev              # SHA-256 of downloaded model files (OpenSSL's libcrypto)
  qt6-base-dev libqcustomplot-dev  # the report's figures (and the GUI)
  libgl-dev               # Qt6Gui's CMake package needs OpenGL headers
  fortunes-zh             # the demo's base model pretrains on it
)
# The rest: the GUI's tools, the tests, sanitizers and fuzzing.
full_packages=(
  git
  libsentencepiece-dev sentencepiece  # SentencePiece tokenizer (loaded in its own link namespace)
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools  # Qt6LinguistTools: the GUI's translations
  qt6-translations-l10n   # Qt's own texts (standard buttons) in Traditional Chinese
  xvfb xauth fonts-noto-cjk
  clang-format
  clang libclang-rt-14-dev  # libFuzzer + ASan/UBSan runtimes for the fuzz targets (fuzz/run.sh)
)

case "${1:-}" in
  --demo) packages=("${demo_packages[@]}") ;;
  "") packages=("${demo_packages[@]}" "${full_packages[@]}") ;;
  *) echo "usage: setup-deps.sh [--demo]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
