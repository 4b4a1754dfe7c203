set -x
export LNAS_DATA_DIR=/work/shared/data LNAS_RUNS_DIR=/work/wt15/runs
cd /work/wt15
node dist/cli/main.js train --dataset cifar10 --epochs 1 --threads 1 > scratch15/small.json 2> scratch15/small.err
node dist/cli/main.js train --genotype DARTS_V2 --channels 16 --layers 8 --epochs 1 --train-limit 5000 --batch-size 96 --lr 0.1 --threads 1 > scratch15/darts.json 2> scratch15/darts.err
node dist/cli/main.js train --genotype DARTS_V2 --channels 16 --layers 8 --epochs 2 --train-limit 3000 --batch-size 96 --lr 0.1 --sparsity 0.5 --threads 1 > scratch15/v1.json 2> scratch15/v1.err
