#!/usr/bin/env bash
# The README's budget comparisons (and the shipped checkpoint until 2026-11-30): a 1-layer char-LSTM
# (256 units, 64-dim embedding) on Moby-Dick for MINUTES (10) minutes of process CPU time
# (steady on a shared machine; CLOCK=wall for wall-clock), written to OUT.
# Run from apps/text after `pnpm build`. The shipped model is trained by scripts/pretrain.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${MINUTES:-10}"
OUT="${OUT:-runs/moby-small}"
node dist/cli.js train \
  --corpus "$(node scripts/moby-dick-path.mjs)" \
  --tokenizer char --cell lstm --layers 1 --hidden 256 --embedding 64 \
  --seq-len 64 --batch 32 --lr 3e-3 --seed 1 --minutes "$MINUTES" --clock "${CLOCK:-cpu}" \
  --out "$OUT"
