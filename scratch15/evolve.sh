set -x
export LNAS_DATA_DIR=/work/shared/data LNAS_RUNS_DIR=/work/wt15/runs
cd /work/wt15
A="--preset quick --population 4 --generations 2 --top-k 2 --train-limit 2500 --val-size 500 --test-limit 1000 --epochs 1 --proposals 6 --screen-images 100 --screen-keep 2 --final-epochs 0 --fig4-epochs 0 --workers 2 --threads 1"
/usr/bin/time -v node dist/cli/main.js evolve $A --max-latency-ms 0.6 > scratch15/evolve-lat.json 2> scratch15/evolve-lat.err
/usr/bin/time -v node dist/cli/main.js evolve $A > scratch15/evolve-free.json 2> scratch15/evolve-free.err
