#!/usr/bin/env bash
# Trains the committed pretrained checkpoint pretrained/moby-char-lstm:
# a 2-layer char-LSTM (2 × 512 units, 64-dim embedding, dropout 0.2 between the layers) on
# Moby-Dick for 7,000 steps of 32 × 100 characters (Adam 2e-3, warmup then cosine decay),
# keeping the best validated weights. About an hour of wall-clock time on a quiet 2-core machine
# with the native kernels (see the README's "The shipped model" for the measured time).
# Run from apps/text after `pnpm build` (or `pnpm --filter @seqgen/app-text pretrain`).
# STEPS / OUT override the budget and the output folder (a quick check: STEPS=200 OUT=runs/probe).
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS="${STEPS:-7000}"
OUT="${OUT:-pretrained/moby-char-lstm}"
node dist/cli.js train \
  --corpus "$(node scripts/moby-dick-path.mjs)" \
  --tokenizer char --cell lstm --layers 2 --hidden 512 --embedding 64 --dropout 0.2 \
  --seq-len 100 --batch 32 --lr 2e-3 --seed 1 --steps "$STEPS" --validate-every 1000 \
  --out "$OUT" ${FORCE:+--force}
