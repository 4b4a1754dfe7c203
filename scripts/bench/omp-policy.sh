#!/usr/bin/env bash
# OpenMP wait policies for lnas, idle and under contention: `lnas bench supernet` (search and eval
# img/s) with each candidate setting, lnas side only, one process per measurement.
#
#   bash scripts/bench/omp-policy.sh idle|contended [THREADS] [CANDIDATES...]
#
# contended starts one CPU-bound process (a Python busy loop) for the duration and stops it after.
# Candidates: default (lnas's own choice), passive, active, spin=N (GOMP_SPINCOUNT=N).
# Time it alone on the machine: flock /tmp/lnas-timing.lock bash scripts/bench/omp-policy.sh ...
set -euo pipefail
cd "$(dirname "$0")/../.."
cond="${1:?idle|contended}"; threads="${2:-2}"; shift 2 || shift $#
cands=("$@"); [ "${#cands[@]}" -gt 0 ] || cands=(default passive active spin=10000 spin=300000)
hog=""
if [ "$cond" = contended ]; then
  python3 -c 'while True: pass' & hog=$!
  trap 'kill "$hog" 2>/dev/null || true' EXIT
  sleep 1
fi
for c in "${cands[@]}"; do
  envs=(env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT)
  case "$c" in
    default) ;;
    passive) envs+=(OMP_WAIT_POLICY=PASSIVE) ;;
    active) envs+=(OMP_WAIT_POLICY=ACTIVE) ;;
    spin=*) envs+=("GOMP_SPINCOUNT=${c#spin=}") ;;
    *) echo "unknown candidate $c" >&2; exit 2 ;;
  esac
  line=$("${envs[@]}" node dist/cli/main.js bench supernet --C 8 --layers 5 --batch 32 --threads "$threads" --memory-format channels-last \
    --warmup 1 --repeats "${REPEATS:-5}" --compare false --json | grep '^{"impl":"lnas"' | tail -1)
  node -e 'const [c, cond, l] = process.argv.slice(1); const r = JSON.parse(l);
    console.log(JSON.stringify({ candidate: c, condition: cond, threads: r.threads, search_img_s: +r.search_img_s.toFixed(2), eval_img_s: +r.eval_img_s.toFixed(1), env: r.env }));' "$c" "$cond" "$line"
done
