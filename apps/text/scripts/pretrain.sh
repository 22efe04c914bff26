#!/usr/bin/env bash
# Trains the committed pretrained checkpoint pretrained/moby-char-lstm:
# a 1-layer char-LSTM (256 units, 64-dim embedding) on Moby-Dick for 10 minutes of CPU time
# (process CPU time: steady on a shared machine; CLOCK=wall for wall-clock).
# Run from apps/text after `pnpm build` (or `pnpm --filter @seqgen/app-text pretrain`).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${MINUTES:-10}"
OUT="${OUT:-pretrained/moby-char-lstm}"
node dist/cli.js train \
  --corpus "$(node scripts/moby-dick-path.mjs)" \
  --tokenizer char --cell lstm --layers 1 --hidden 256 --embedding 64 \
  --seq-len 64 --batch 32 --lr 3e-3 --seed 1 --minutes "$MINUTES" --clock "${CLOCK:-cpu}" \
  --out "$OUT"
