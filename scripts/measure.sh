#!/usr/bin/env bash
# Reproduces the figures quoted in the README, on this machine, into measurements/<date>/.
# Run after `bash scripts/quickstart.sh test` (which installs and builds). Needs LNAS_DATA_DIR
# (CIFAR-10, NAS-Bench-201) and, for the PyTorch columns, `apt-get install -y python3-torch`.
# Takes about an hour on 2 cores; run it on an otherwise idle machine (figures are medians,
# but a busy machine still skews them).
set -euo pipefail
cd "$(dirname "$0")/.."
out="measurements/$(date +%Y%m%d-%H%M)"
mkdir -p "$out"
export LNAS_RUNS_DIR="$out/runs"
lnas() { node dist/cli/main.js "$@"; }

echo "== foundation: small CNN, 1 epoch, CIFAR-10 and Fashion-MNIST (2 threads)"
lnas train --dataset cifar10 --epochs 1 > "$out/train-cifar10.json"
lnas train --dataset fashion-mnist --epochs 1 > "$out/train-fashion-mnist.json"

echo "== benchmarks against PyTorch (same run, one process per measurement)"
lnas bench small-cnn mixed-edge --json > "$out/bench-foundation.jsonl"
for t in 1 2; do
  for mf in channels-last contiguous; do
    lnas bench supernet --C 8 --layers 5 --batch 32 --threads $t --memory-format $mf --json >> "$out/bench-supernet.jsonl"
  done
done
lnas bench supernet --C 8 --layers 5 --batch 32 --threads 1 --order 2 --json >> "$out/bench-supernet.jsonl"
lnas bench supernet --C 8 --layers 5 --batch 32 --threads 1 --alpha-sparsity 0.75 --compare false --json >> "$out/bench-supernet.jsonl"

echo "== NAS-Bench-201 (100 runs, 150 queries)"
for s in evolution rea random; do lnas bench nb201 --strategy $s --runs 100 >> "$out/nb201.jsonl"; done

echo "== export, predict and latency budgets (issue 15)"
lnas train --genotype DARTS_V2 --channels 16 --layers 8 --epochs 1 --train-limit 5000 --batch-size 96 --lr 0.1 --threads 1 > "$out/export-darts.json"
lnas train --genotype DARTS_V2 --channels 16 --layers 8 --epochs 2 --train-limit 3000 --batch-size 96 --lr 0.1 --sparsity 0.5 --threads 1 > "$out/export-v1.json"
lnas train --dataset cifar10 --epochs 1 --threads 1 > "$out/export-small.json"
evo="--preset quick --population 4 --generations 2 --top-k 2 --train-limit 2500 --val-size 500 --test-limit 1000 --epochs 1 --proposals 6 --screen-images 100 --screen-keep 2 --final-epochs 0 --fig4-epochs 0 --workers 2 --threads 1"
lnas evolve $evo --max-latency-ms 0.6 > "$out/evolve-latency.json"
lnas evolve $evo > "$out/evolve-free.json"
run_of() { node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").pop()).run_dir)' "$1"; }
ticket=$(node -e 'const s=JSON.parse(require("fs").readFileSync(process.argv[1]+"/summary.json","utf8")); console.log(s.best.dir)' "$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").pop()).dir)' "$out/evolve-latency.json")")
lnas bench export --folders "$(run_of "$out/export-small.json"),$(run_of "$out/export-darts.json"),$(run_of "$out/export-v1.json"),$ticket" --threads 1 --warmup 2 --repeats 5 > "$out/bench-export.jsonl"
lnas bench latency --folders "$ticket" --threads 1 --warmup 5 --repeats 20 --measurements 5 > "$out/bench-latency.jsonl"
for b in "" "--latency-device pixel3 --max-latency-ms 5" "--latency-device raspi4 --max-latency-ms 12"; do lnas bench nb201 --strategy evolution --runs 100 $b >> "$out/nb201-latency.jsonl"; done
echo "== dashboard (lnas serve) on a synthetic runs folder of 10,000 evolution trials, in Chromium"
lnas bench serve --trials 10000 --repeats 5 --updates 3 > "$out/serve-10k.jsonl"

echo "== quick DARTS search + retraining"
( time lnas darts --preset quick ) > "$out/darts-quick.json" 2> "$out/darts-quick.log"
echo "results in $out"
