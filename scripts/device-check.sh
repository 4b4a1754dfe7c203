#!/usr/bin/env bash
# The GPU check, prepared on a machine with the tools, run in one command on a bare GPU machine.
#
#   bash scripts/device-check.sh pack [BUNDLE]   here: build the travel bundle (default device-bundle/,
#                                                 at most 60 MiB): a Node.js binary, npm (for node-gyp),
#                                                 Node's API headers, the built dist/, node-addon-api,
#                                                 a CIFAR-10 subset. Needs a built checkout (npx tsc).
#   bash scripts/device-check.sh run [BUNDLE]    there, from the repository root: build the native engine
#                                                 against the PyTorch found there (its libtorch, with CUDA),
#                                                 run the device suite, `lnas bench supernet --device cuda`
#                                                 against that PyTorch on the same GPU, and a short real-data
#                                                 DARTS search with the paper preset. Results go to $OUT
#                                                 (default ./device-check-out): results.jsonl, *.log.
#
# Environment for run: LNAS_PYTHON (the Python with a CUDA PyTorch; default: the first of python3,
# /usr/bin/python3, /opt/conda/bin/python that imports torch with CUDA), DC_SUITE_TIMEOUT (240 s),
# DC_BENCH_TIMEOUT (150 s), DC_SEARCH_TIMEOUT (120 s). A rehearsal on a machine without a GPU:
# DC_DEVICE=cpu LNAS_TEST_DEVICE=cpu DC_BENCH_ARGS='--C 8 --layers 5 --batch 8 --threads 2 --warmup 1 --repeats 2'
# DC_SEARCH_ARGS='--preset quick --train-limit 256 --search-images 256 --epochs 1'.
#
# The CIFAR-10 subset keeps the official file layout (the loader checks exact sizes): the first
# DC_TRAIN_REAL records of data_batch_1.bin and the first DC_TEST_REAL of test_batch.bin are real,
# every other record is zeros (they compress to nothing). The search reads only the real ones
# (--train-limit), which `run` checks against the bundle's manifest.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
mode="${1:-}"
bundle="$(realpath -m "${2:-$repo/device-bundle}")"
log() { echo "[device-check $(date -u +%H:%M:%S)] $*" >&2; }

pack() {
  command -v xz >/dev/null || { echo "device-check: xz is needed to pack" >&2; exit 1; }
  [ -f dist/cli/main.js ] || { echo "device-check: dist/ is not built; run npx tsc -p tsconfig.json first" >&2; exit 1; }
  local node_bin npm_dir headers data_src train_real="${DC_TRAIN_REAL:-4000}" test_real="${DC_TEST_REAL:-1000}"
  node_bin="$(command -v node)"
  npm_dir="$(dirname "$(dirname "$(realpath "$(command -v npm)")")")"
  [ -f "$npm_dir/node_modules/node-gyp/bin/node-gyp.js" ] || npm_dir=/usr/lib/node_modules/npm
  [ -f "$npm_dir/node_modules/node-gyp/bin/node-gyp.js" ] || { echo "device-check: npm's node-gyp not found" >&2; exit 1; }
  headers="$(dirname "$(dirname "$node_bin")")/include/node"
  [ -f "$headers/node_api.h" ] || headers=/usr/include/node
  [ -f "$headers/node_api.h" ] || { echo "device-check: Node's headers (include/node/node_api.h) not found" >&2; exit 1; }
  data_src="${LNAS_DATA_DIR:-$repo/../shared/data}"
  local cifar
  for d in cifar-10-batches-bin cifar-10-jpegq75-batches-bin; do [ -f "$data_src/$d/data_batch_1.bin" ] && cifar="$data_src/$d" && break; done
  [ -n "${cifar:-}" ] || { echo "device-check: no CIFAR-10 binary folder under $data_src (set LNAS_DATA_DIR)" >&2; exit 1; }

  # node.tar.xz and data.tar.xz are kept from an earlier pack (DC_REPACK=1 redoes them); lnas.tar.xz is always new.
  [ "${DC_REPACK:-0}" = 1 ] && rm -rf "$bundle"
  mkdir -p "$bundle"
  local work; work="$(mktemp -d)"; trap 'rm -rf "$work"' RETURN
  if [ ! -f "$bundle/node.tar.xz" ]; then
  log "node $("$node_bin" --version) from $node_bin"
  mkdir -p "$work/node/bin" && cp "$node_bin" "$work/node/bin/node"
  strip --strip-unneeded "$work/node/bin/node" 2>/dev/null || true
  # Node's API headers and gyp settings: all that node-gyp needs for a Node-API addon (no V8 headers).
  mkdir -p "$work/node/include/node"
  for f in common.gypi config.gypi node_api.h node_api_types.h js_native_api.h js_native_api_types.h node_version.h; do
    cp "$headers/$f" "$work/node/include/node/"
  done
  cp -r "$npm_dir" "$work/node/npm"
  tar -C "$work" -cf - node | xz -T1 -6 > "$bundle/node.tar.xz.part" && mv "$bundle/node.tar.xz.part" "$bundle/node.tar.xz"
  fi
  log "lnas: dist/, node-addon-api, package files"
  tar -cf - dist node_modules/node-addon-api package.json package-lock.json | xz -T1 -6 > "$bundle/lnas.tar.xz"
  if [ ! -f "$bundle/data.tar.xz" ]; then
  log "CIFAR-10 subset from $cifar: $train_real train + $test_real test records real, the rest zeros"
  local rec=3073 name
  mkdir -p "$work/data/cifar-10-batches-bin"
  for name in data_batch_1 data_batch_2 data_batch_3 data_batch_4 data_batch_5 test_batch; do
    local real=0
    [ "$name" = data_batch_1 ] && real="$train_real"
    [ "$name" = test_batch ] && real="$test_real"
    { head -c $((real * rec)) "$cifar/$name.bin"; head -c $(((10000 - real) * rec)) /dev/zero; } > "$work/data/cifar-10-batches-bin/$name.bin"
  done
  cp "$cifar/batches.meta.txt" "$work/data/cifar-10-batches-bin/" 2>/dev/null || true
  tar -C "$work" -cf - data | xz -T1 -6 > "$bundle/data.tar.xz.part" && mv "$bundle/data.tar.xz.part" "$bundle/data.tar.xz"
  fi
  printf '{"node":"%s","train_real":%d,"test_real":%d,"cifar_source":"%s","packed":"%s"}\n' \
    "$("$node_bin" --version)" "$train_real" "$test_real" "$cifar" "$(date -u +%FT%TZ)" > "$bundle/manifest.json"
  (cd "$bundle" && sha256sum ./*.tar.xz > SHA256SUMS)
  local total; total=$(du -cb "$bundle"/* | tail -1 | cut -f1)
  log "bundle $bundle: $(du -sh "$bundle" | cut -f1) ($total bytes)"
  ls -l "$bundle" >&2
  [ "$total" -le $((60 * 1024 * 1024)) ] || { echo "device-check: bundle is over 60 MiB" >&2; exit 1; }
}

# --- run -----------------------------------------------------------------------------------------

out="${OUT:-$repo/device-check-out}"
result() { echo "$1" >> "$out/results.jsonl"; log "result: $1"; }

find_python() {
  local p
  for p in ${LNAS_PYTHON:-} python3 /usr/bin/python3 /opt/conda/bin/python /usr/local/bin/python3; do
    command -v "$p" >/dev/null 2>&1 || continue
    (cd /tmp && "$p" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 3)') >/dev/null 2>&1 && { command -v "$p"; return 0; }
  done
  return 1
}

run() {
  local device="${DC_DEVICE:-cuda}"
  mkdir -p "$out"; : > "$out/results.jsonl"
  local t0; t0=$(date +%s)
  [ -f "$bundle/manifest.json" ] || { echo "device-check: no bundle at $bundle (run \`bash scripts/device-check.sh pack\` where the tools are)" >&2; exit 1; }
  (cd "$bundle" && sha256sum -c --quiet SHA256SUMS) || { echo "device-check: bundle checksums do not match" >&2; exit 1; }
  log "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; GPUs: $(nvidia-smi -L 2>/dev/null | tr '\n' ';' || echo 'nvidia-smi absent')"
  local missing=()
  for t in g++ make; do command -v "$t" >/dev/null || missing+=("$t"); done
  [ "${#missing[@]}" -eq 0 ] || { result "{\"stage\":\"tools\",\"ok\":false,\"missing\":\"${missing[*]}\"}"; echo "device-check: ${missing[*]} missing: the native engine is compiled here" >&2; exit 1; }
  local py
  if [ "$device" = cpu ]; then py="${LNAS_PYTHON:-/usr/bin/python3}"
  else py="$(find_python)" || { result '{"stage":"python","ok":false,"error":"no Python with a CUDA PyTorch found; set LNAS_PYTHON"}'; exit 1; }
  fi
  result "$(cd /tmp && "$py" -c 'import json, sys, torch; c = torch.cuda.is_available(); print(json.dumps({"stage": "pytorch", "ok": True, "python": sys.executable, "torch": torch.__version__, "cuda": torch.version.cuda, "gpu": torch.cuda.get_device_name(0) if c else None, "devices": torch.cuda.device_count()}))')"

  local tools=/tmp/lnas-device-tools
  rm -rf "$tools" && mkdir -p "$tools"
  xz -dc "$bundle/node.tar.xz" | tar -C "$tools" -xf -
  xz -dc "$bundle/data.tar.xz" | tar -C "$tools" -xf -
  [ -f dist/cli/main.js ] && [ -d node_modules/node-addon-api ] || xz -dc "$bundle/lnas.tar.xz" | tar -xf -
  local node=node
  if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    export PATH="$tools/node/bin:$PATH"; node="$tools/node/bin/node"
  fi
  log "node $("$node" --version) ($(command -v node))"

  log "build against $py's libtorch"
  local tb; tb=$(date +%s)
  export LNAS_LIBTORCH_FROM_PYTORCH=1 LNAS_PYTHON="$py" LNAS_NODEDIR="$tools/node" LNAS_BUILD_JOBS="$(nproc)"
  export npm_config_node_gyp="$tools/node/npm/node_modules/node-gyp/bin/node-gyp.js"
  if ! node scripts/build-native.mjs > "$out/build.log" 2>&1; then
    log "build failed; retrying without CUDA allocator statistics (LNAS_NO_CUDA_STATS=1)"
    LNAS_NO_CUDA_STATS=1 node scripts/build-native.mjs > "$out/build-nostats.log" 2>&1 || {
      tail -30 "$out/build-nostats.log" >&2; result '{"stage":"build","ok":false}'; exit 1; }
  fi
  result "{\"stage\":\"build\",\"ok\":true,\"seconds\":$(( $(date +%s) - tb )),\"libtorch\":\"$(grep -o 'built against .*' "$out"/build*.log | tail -1 | sed 's/"/\\"/g')\"}"
  result "$(node -e 'import("./dist/tensor/runtime.js").then((r) => { const i = r.engineInfo(); console.log(JSON.stringify({ stage: "engine", torch: i.torchVersion, cudaBuild: i.cudaBuild, cudaDevices: i.cudaDevices })); })')"

  log "device suite"
  local ts; ts=$(date +%s)
  local suite_rc=0
  timeout "${DC_SUITE_TIMEOUT:-240}" node scripts/test.mjs --cuda > "$out/device-suite.log" 2>&1 || suite_rc=$?
  local pass fail skipped
  pass=$(grep -oE '^ℹ pass [0-9]+' "$out/device-suite.log" | grep -oE '[0-9]+' || echo 0)
  fail=$(grep -oE '^ℹ fail [0-9]+' "$out/device-suite.log" | grep -oE '[0-9]+' || echo 0)
  skipped=$(grep -oE '^ℹ skipped [0-9]+' "$out/device-suite.log" | grep -oE '[0-9]+' || echo 0)
  result "{\"stage\":\"device-suite\",\"rc\":$suite_rc,\"pass\":${pass:-0},\"fail\":${fail:-0},\"skipped\":${skipped:-0},\"seconds\":$(( $(date +%s) - ts ))}"

  log "supernet bench on the GPU, lnas vs PyTorch, C=16, 8 layers, batch 64"
  # shellcheck disable=SC2086
  timeout "${DC_BENCH_TIMEOUT:-150}" node dist/cli/main.js bench supernet --device "$device" ${DC_BENCH_ARGS:---C 16 --layers 8 --batch 64 --threads 4 --repeats 10} \
    > "$out/bench.jsonl" 2> "$out/bench.log" || log "bench exit $?"
  while read -r line; do result "{\"stage\":\"bench\",\"row\":$line}"; done < <(grep '^{' "$out/bench.jsonl" || true)

  log "short real-data search: paper preset, 1 epoch on the subset"
  local train_real; train_real=$(node -p "require('$bundle/manifest.json').train_real")
  local tsr; tsr=$(date +%s)
  local search_rc=0
  # shellcheck disable=SC2086
  LNAS_RUNS_DIR="$out/runs" timeout "${DC_SEARCH_TIMEOUT:-120}" node dist/cli/main.js search --device "$device" --threads 4 --data-dir "$tools/data" \
    ${DC_SEARCH_ARGS:---preset paper --train-limit $train_real --search-images $train_real --epochs 1} > "$out/search.log" 2>&1 || search_rc=$?
  local secs=$(( $(date +%s) - tsr ))
  local summary; summary=$(ls "$out"/runs/search-*/summary.json 2>/dev/null | head -1 || true)
  result "$(node -e '
    const [rc, secs, file, images] = process.argv.slice(1);
    const s = file ? JSON.parse(require("fs").readFileSync(file, "utf8")) : null;
    const pick = s ? Object.fromEntries(Object.entries(s).filter(([k, v]) => typeof v !== "object" || v === null)) : null;
    // Per-step cost on the subset, scaled to the paper epoch (25,000 weight + 25,000 α images, batch 64).
    // (images is 0 when DC_SEARCH_ARGS replaced the paper-preset search: then there is no extrapolation.)
    const steps = Math.floor(Number(images) / 2 / 64);
    const epoch = s && Array.isArray(s.history) && s.history[0] ? s.history[0] : null;
    const epochS = epoch ? (epoch.epoch_time_s ?? epoch.seconds ?? null) : null;
    console.log(JSON.stringify({ stage: "search", rc: Number(rc), wall_seconds: Number(secs), subset_steps: steps, summary: pick,
      first_epoch_s: epochS, paper_epoch_s_extrapolated: epochS && steps ? (epochS / steps) * Math.floor(25000 / 64) : null }));
  ' "$search_rc" "$secs" "$summary" "${DC_SEARCH_ARGS:+0}${DC_SEARCH_ARGS:-$train_real}")"
  result "{\"stage\":\"done\",\"seconds\":$(( $(date +%s) - t0 ))}"
}

case "$mode" in
  pack) pack ;;
  run) run ;;
  *) echo "usage: bash scripts/device-check.sh pack|run [BUNDLE]" >&2; exit 2 ;;
esac
