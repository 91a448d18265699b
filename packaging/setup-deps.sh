#!/usr/bin/env bash
# Installs every Debian 12 package ChatBench needs to build, test and run its demo.
# Idempotent: when everything is already installed it only checks and exits (about a second).
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config git
  # engine
  libtorch-dev            # GPT-2 forward/backward, optimizers (CPU libtorch 1.13)
  libopenblas0-openmp     # fast BLAS for libtorch: reference BLAS is ~20x slower
  libblas-dev             # cblas.h and libblas.so: the decoding step on CPUs without AVX2
  nlohmann-json3-dev      # config.json, safetensors headers, run files, metrics
  libicu-dev              # Unicode categories and NFD for the BERT WordPiece tokenizer
  libsentencepiece-dev sentencepiece  # SentencePiece tokenizer (loaded in its own link namespace)
  libopencc-dev opencc    # Simplified <-> Traditional Chinese conversion of corpora
  libgloo-dev             # headers of torch.distributed's Gloo backend (data-parallel training)
  # GUI
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqcustomplot-dev
  libgl-dev               # Qt6Gui's CMake package needs OpenGL headers
  # tests and demo
  xvfb xauth fonts-noto-cjk fortunes-zh
  clang-format
  clang libclang-rt-14-dev  # libFuzzer + ASan/UBSan runtimes for the fuzz targets (fuzz/run.sh)
)

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
