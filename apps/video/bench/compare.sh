#!/usr/bin/env bash
# ConvLSTM training step, same run, CPU seconds: seqgen's forecaster (native ConvLSTM kernels, then pure tfjs)
# and tf.layers.convLstm2d (bench/convlstm-step.ts)
# and the PyTorch peer (bench/torch_convlstm.py) at its best thread setting. Shape: 64×64, batch 8, 20 frames;
# HIDDEN/KERNEL default to the forecaster's OpenSTL config (64,64,64,64 / 5); STEPS timed steps after one warm-up.
# Usage: bench/compare.sh  (HIDDEN=16,16 KERNEL=3 for a quick run). Run from apps/video.
set -uo pipefail
cd "$(dirname "$0")/.."
HIDDEN="${HIDDEN:-64,64,64,64}" KERNEL="${KERNEL:-5}" STEPS="${STEPS:-2}"
SEQGEN_BACKEND="${SEQGEN_BACKEND:-wasm}" npx tsx bench/convlstm-step.ts --hidden="$HIDDEN" --kernel="$KERNEL" --steps="$STEPS"
# The same forecaster with @seqgen/native turned off: the pure-tfjs ConvLSTM (one frame at a time, tfjs ops).
SEQGEN_NATIVE=0 SEQGEN_BACKEND="${SEQGEN_BACKEND:-wasm}" npx tsx bench/convlstm-step.ts --hidden="$HIDDEN" --kernel="$KERNEL" \
  --steps="$STEPS" --no-layers
bash ../../scripts/bench/torch-blas.sh /usr/bin/python3 >&2 || exit 2
for threads in 1 2; do
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_convlstm.py \
    --threads "$threads" --hidden "$HIDDEN" --kernel "$KERNEL" --steps "$STEPS"
done
