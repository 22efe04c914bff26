#!/usr/bin/env bash
# Trains the committed pretrained checkpoint pretrained/openmsx-chord-lstm: the 31 openttd-openmsx pieces
# (Debian openttd-openmsx; one in eight held out for eval, one in sixteen validates), augmented by
# transposition (±3 semitones) and time stretch (±5%), 20% of copies with no chords; a chord-conditioned
# 1-layer LSTM (event embedding 64, chord embedding 16, 256 units) over Performance-RNN events, batch 32 ×
# 64 events, Adam 3e-3 with warmup + cosine decay, for STEPS optimizer steps (default 900; or, with MINUTES set
# and STEPS unset, for MINUTES of CLOCK time, cpu by default).
# Run from apps/music after `pnpm build` (or `pnpm --filter @seqgen/app-music pretrain`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${MINUTES:-}" ] && [ -z "${STEPS:-}" ]; then BUDGET=(--minutes "$MINUTES" --clock "${CLOCK:-cpu}"); else BUDGET=(--steps "${STEPS:-900}"); fi
WORK="${WORK:-runs/pretrain}"
OUT="${OUT:-pretrained/openmsx-chord-lstm}"
nice -n "${NICE:-10}" node dist/cli.js train --midi /usr/share/games/openttd/baseset/openmsx --cell lstm --layers 1 \
  --hidden 256 --embedding 64 --chord-embedding 16 --batch 32 --seq-len 64 --lr 3e-3 --transpose 3 --stretch 0.05 \
  --no-chord-share 0.2 --seed 1 "${BUDGET[@]}" --out "$WORK/model" --force --progress
rm -rf "$OUT" && mkdir -p "$OUT"
cp "$WORK"/model/checkpoint.json "$WORK"/model/*.bin "$WORK"/model/loss.svg "$OUT"/
du -sh "$OUT"
