#!/usr/bin/env bash
# The README's quality table: every row on the same held-out test set (the one scripts/pretrain.sh prepared in
# $WORK/data), every trained row with the same wall-clock budget (MINUTES, default 12) on the same training split.
#   copy-the-source baseline            (eval prints it beside every model)
#   seq2seq without attention, greedy   (train --attention none)
#   with attention, greedy and beam 5   ($WORK/attention, the shipped model)
#   PyTorch peer, beam 5                (bench/torch_seq2seq.py --mode train: same data files, same shape, same budget)
# Runs one training at a time (they are CPU-bound), niced. Run after scripts/pretrain.sh, from apps/translate.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${MINUTES:-12}"
CLOCK="${CLOCK:-wall}"
WORK="${WORK:-runs/pretrain}"
shape=(--cell gru --layers 1 --hidden 160 --embedding 96 --batch 128 --lr 3e-3 --max-len 48 --seed 1)
if [ ! -f "$WORK/no-attention/checkpoint.json" ]; then
  nice -n 10 node dist/cli.js train --data "$WORK/data" --attention none "${shape[@]}" --minutes "$MINUTES" --clock "$CLOCK" \
    --out "$WORK/no-attention" --force
fi
if [ ! -f "$WORK/torch-test.txt" ]; then
  nice -n 10 env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/torch_seq2seq.py --mode train \
    --data "$WORK/data" --embedding 96 --hidden 160 --batch 128 --lr 3e-3 --max-len 48 --beams 5 --max-new 106 \
    --minutes "$MINUTES" --clock "$CLOCK" --threads "${TORCH_THREADS:-1}" --out "$WORK/torch-test.txt"
fi
ev() { nice -n 10 node dist/cli.js eval --json --quiet "$@"; }
{
  echo "no-attention greedy: $(ev --checkpoint "$WORK/no-attention" --beams 1)"
  echo "attention greedy: $(ev --checkpoint "$WORK/attention" --beams 1)"
  echo "attention beam5: $(ev --checkpoint "$WORK/attention" --beams 5)"
  echo "torch beam5: $(ev --test "$WORK/data/test.tsv" --hypotheses "$WORK/torch-test.txt")"
} | tee "$WORK/quality-table.txt"
