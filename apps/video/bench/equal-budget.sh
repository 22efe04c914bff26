#!/usr/bin/env bash
# The shipped forecaster's shape (2 × 16 channels, 3×3 kernels, 4×4 patches, batch 4, Adam 5e-3 with
# warmup + cosine, seed 1: scripts/pretrain.sh) trained for the same wall-clock budget by seqgen
# (`train --minutes M --clock wall`) and by PyTorch (bench/torch_forecaster_train.py, 1 thread) on the
# same Moving MNIST stream, both scored on the same 256 held-out sequences `eval` scores. Prints steps,
# wall and CPU seconds (/usr/bin/time user + sys of the whole process) and OpenSTL's MSE per frame; then
# PyTorch again for exactly seqgen's step count, which separates learning per step from steps per second.
# Usage (from apps/video after `pnpm build`): bench/equal-budget.sh, with optional settings
#   MINUTES=5          the wall-clock budget of each trainer;
#   SEED=1             weights and training stream;
#   SEQGEN_THREADS=1   SEQGEN_NATIVE_THREADS for seqgen (1 is its best setting on this busy machine);
#   EQUAL_STEPS=1      also PyTorch for exactly seqgen's step count (0: skip);
#   SEQGEN_STEPS=N     seqgen trains exactly N steps instead of sizing its run to the budget (its 3 timed
#                      probe steps can over-estimate the step time and leave part of it unused; compare
#                      the trained seconds then);
#   WORK=runs/equal-budget.
# Runs niced; the data (runs/, about 45 MB) are exported first.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${MINUTES:-5}"
SEED="${SEED:-1}"
WORK="${WORK:-runs/equal-budget}"
PYTHON="${SEQGEN_PYTHON:-/usr/bin/python3}"
export SEQGEN_BACKEND="${SEQGEN_BACKEND:-wasm}"
bash ../../scripts/bench/torch-blas.sh "$PYTHON" >&2 || exit 2
mkdir -p "$WORK"
# Enough training sequences for PyTorch's steps at ~0.04 s each (batch 4), at least 20,000.
TRAIN=$(node -e "console.log(Math.max(20000, Math.ceil($MINUTES * 60 / 0.04) * 4))")
nice -n 10 npx tsx bench/export-moving-mnist.ts --out="$WORK/data" --train="$TRAIN" --seed="$SEED" --test=256 --valid=8
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

SHAPE=(--hidden 16,16 --kernel 3 --patch 4 --batch 4 --lr 5e-3 --valid 8 --seed "$SEED")
if [ -n "${SEQGEN_STEPS:-}" ]; then BUDGET=(--steps "$SEQGEN_STEPS"); else BUDGET=(--minutes "$MINUTES" --clock wall); fi
SEQGEN_NATIVE_THREADS="${SEQGEN_THREADS:-1}" nice -n 10 /usr/bin/time -f '%e %U %S' -o "$WORK/seqgen.time" \
  node dist/cli.js train --task predict "${BUDGET[@]}" "${SHAPE[@]}" \
  --out "$WORK/seqgen" --force --quiet --json >"$WORK/seqgen-train.json"
echo "load average after seqgen: $(cut -d' ' -f1-3 /proc/loadavg)"
nice -n 10 node dist/cli.js eval --task predict --checkpoint "$WORK/seqgen" --examples 256 --json >"$WORK/seqgen-eval.json"

nice -n 10 /usr/bin/time -f '%e %U %S' -o "$WORK/torch.time" \
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 "$PYTHON" bench/torch_forecaster_train.py \
  --data "$WORK/data" --seconds "$(node -e "console.log($MINUTES * 60)")" --threads 1 \
  --hidden 16,16 --kernel 3 --patch 4 --batch 4 --lr 5e-3 --seed "$SEED" >"$WORK/torch.json"
echo "load average after PyTorch: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${EQUAL_STEPS:-1}" = 1 ]; then
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 nice -n 10 "$PYTHON" bench/torch_forecaster_train.py \
    --data "$WORK/data" --steps "$(tail -n 1 "$WORK/seqgen-train.json" | node -p 'JSON.parse(require("node:fs").readFileSync(0, "utf8")).steps')" --threads 1 \
    --hidden 16,16 --kernel 3 --patch 4 --batch 4 --lr 5e-3 --seed "$SEED" >"$WORK/torch-equal-steps.json"
fi

WORK="$WORK" MINUTES="$MINUTES" SEQGEN_STEPS="${SEQGEN_STEPS:-}" node -e '
const fs = require("node:fs");
const w = process.env.WORK;
const read = (f) => JSON.parse(fs.readFileSync(`${w}/${f}`, "utf8").trim().split("\n").pop());
const times = (f) => fs.readFileSync(`${w}/${f}`, "utf8").trim().split("\n").pop().split(" ").map(Number);
const train = read("seqgen-train.json"), ev = read("seqgen-eval.json"), torch = read("torch.json");
const [sw, su, ss] = times("seqgen.time"), [tw, tu, ts] = times("torch.time");
const copy = ev.baselines.copy_last_frame.mse_per_frame;
if (Math.abs(copy - torch.copy_last_frame_mse_per_frame) > 1e-6 * copy)
  throw new Error(`not the same test set: copy-last-frame ${copy} vs ${torch.copy_last_frame_mse_per_frame}`);
const row = (name, steps, wall, cpu, mse) =>
  `| ${name} | ${steps} | ${wall.toFixed(0)} | ${cpu.toFixed(0)} | ${(cpu / steps).toFixed(3)} | ${mse.toFixed(1)} |`;
console.log(`\n${ev.examples} held-out sequences; budget ${process.env.MINUTES} min wall each${process.env.SEQGEN_STEPS ? ` (seqgen: ${process.env.SEQGEN_STEPS} steps, no budget)` : ""}; seqgen trained ${train.seconds.toFixed(0)} s, PyTorch ${torch.wall_seconds.toFixed(0)} s (process wall/CPU below also count start-up, data, sizing and the checkpoints seqgen writes)\n`);
console.log("| trainer | steps | process wall s | process CPU s | CPU s/step | MSE per frame |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
console.log(row("seqgen (wasm + native, 1 thread)", train.steps, sw, su + ss, ev.metrics.mse_per_frame));
console.log(row(`PyTorch ${torch.framework.split(" ")[1]} (1 thread)`, torch.steps, tw, tu + ts, torch.mse_per_frame));
if (fs.existsSync(`${w}/torch-equal-steps.json`)) {
  const same = read("torch-equal-steps.json");
  console.log(`| PyTorch, as many steps as seqgen (no time limit) | ${same.steps} | | ${same.cpu_seconds.toFixed(0)} (training) | | ${same.mse_per_frame.toFixed(1)} |`);
}
console.log(`| copy last frame | | | | | ${copy.toFixed(1)} |`);
console.log(`| blank frame | | | | | ${ev.baselines.blank_frame.mse_per_frame.toFixed(1)} |`);
'
