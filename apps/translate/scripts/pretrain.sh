#!/usr/bin/env bash
# Trains the committed pretrained checkpoint pretrained/en-de-gru-attention:
# English→German UI messages from the gettext catalogs installed on this machine (/usr/share/locale/de),
# cleaned, deduplicated, split with no test source in training (1,000 test, 500 validation pairs, seed 1),
# one joint byte-level BPE of 2,000 tokens; a 1-layer GRU encoder-decoder (embedding 96, 160 units) with
# Bahdanau attention and input feeding, batch 128, Adam 3e-3 with warmup + cosine decay, for MINUTES
# (default 12) of wall-clock time, or STEPS steps. The folder keeps the checkpoint, its held-out test.tsv (what `eval` scores),
# the loss curve and the record of the data.
# Run from apps/translate after `pnpm build` (or `pnpm --filter @seqgen/app-translate pretrain`).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${MINUTES:-12}"
WORK="${WORK:-runs/pretrain}"
OUT="${OUT:-pretrained/en-de-gru-attention}"
# (An existing $WORK/data is reused: the split must stay the one the other rows of the README table use.)
[ -f "$WORK/data/prepared.json" ] || node dist/cli.js prepare --lang de --test 1000 --valid 500 --vocab 2000 --seed 1 --out "$WORK/data"
# STEPS=N trains exactly N steps (the shipped checkpoint: STEPS=3076) instead of a MINUTES budget.
BUDGET=(--minutes "$MINUTES" --clock "${CLOCK:-wall}")
[ -n "${STEPS:-}" ] && BUDGET=(--steps "$STEPS")
node dist/cli.js train --data "$WORK/data" --cell gru --attention bahdanau --layers 1 --hidden 160 --embedding 96 \
  --batch 128 --lr 3e-3 --max-len 48 --seed 1 "${BUDGET[@]}" \
  --out "$WORK/attention" --force
rm -rf "$OUT" && mkdir -p "$OUT"
cp "$WORK"/attention/checkpoint.json "$WORK"/attention/*.bin "$WORK"/attention/test.tsv "$OUT"/
cp "$WORK"/attention/loss.svg "$OUT"/ 2>/dev/null || true
cp "$WORK"/data/prepared.json "$OUT"/
du -sh "$OUT"
