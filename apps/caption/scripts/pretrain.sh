#!/usr/bin/env bash
# Trains the shipped checkpoint, pretrained/scenes-attention: row (c) of the README's table (attention, the
# pretrained Fashion-MNIST CNN fine-tuned at 0.1× the learning rate), the same command and budget.
# Usage: bash scripts/pretrain.sh   (about 2–3 CPU-minutes on a quiet 2-core machine)
set -euo pipefail
cd "$(dirname "$0")/.."
nice -n 10 node dist/cli.js train --attention bahdanau --encoder pretrained --encoder-lr 0.1 \
  --steps 200 --batch 16 --scenes 5000 --lr 5e-3 --seed 1 --validate-every 50 \
  --out pretrained/scenes-attention --force "$@"
