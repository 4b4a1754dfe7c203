#!/usr/bin/env bash
# The README's two commands. Each installs what is missing (apt packages only when absent,
# npm dependencies, the native engine, the TypeScript build), then runs:
#   bash scripts/quickstart.sh main   a quick DARTS search + retraining on CIFAR-10, with a report
#   bash scripts/quickstart.sh test   the default test suite
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-}"
case "$what" in main|test) ;; *) echo "usage: bash scripts/quickstart.sh main|test" >&2; exit 2 ;; esac

# System packages: a compiler, libtorch, an optimized BLAS (Debian's libtorch otherwise uses the
# slow reference BLAS), Fashion-MNIST; numpy and python3-onnx for the export tests (independent
# readers of exported files). python3-torch is only for `lnas bench` comparisons.
pkgs=(build-essential python3 python3-numpy python3-onnx libtorch-dev libopenblas0-pthread dataset-fashion-mnist)
# The tests start their own private redis-server (never the system service) and drive Debian's
# Chromium for the dashboard (playwright-core downloads no browser).
if [ "$what" = test ]; then pkgs+=(redis-server chromium); fi
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "lnas: missing packages ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then echo "lnas: Node.js >= 20 is required (found $(node --version))" >&2; exit 1; fi

# Dependencies, native engine and TypeScript build (npm ci runs the install and prepare scripts).
# onnxruntime-node (export checks, predict, latency) ships its CPU build: skip its postinstall
# download of CUDA binaries (also set in .npmrc).
export ONNXRUNTIME_NODE_INSTALL=skip
if [ ! -f build/Release/lnas_native.node ] || [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund
fi
npx tsc -p tsconfig.json
node scripts/build-web.mjs   # the dashboard's front end (lnas serve), bundled into dist/serve/public

# Data: $LNAS_DATA_DIR, else the shared folder next to this checkout when present.
if [ -z "${LNAS_DATA_DIR:-}" ] && [ -d ../shared/data ]; then export LNAS_DATA_DIR="$(cd ../shared/data && pwd)"; fi

if [ "$what" = test ]; then
  exec node scripts/test.mjs
fi
exec node dist/cli/main.js darts --preset quick
