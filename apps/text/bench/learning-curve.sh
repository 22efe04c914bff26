#!/usr/bin/env bash
# Learning per step, seqgen against PyTorch: the same char-LSTM (embedding 64 -> LSTM 256 -> linear), data
# (Moby-Dick, last 10% held out), batch 32 x 64, Adam 3e-3 with warmup + cosine decay over STEPS, clip 5,
# seed 1, trained for STEPS steps by each; the whole held-out text is evaluated after each step of EVAL_AT.
# Prints one table of held-out nats/char. Run from apps/text after a build:
#   bash bench/learning-curve.sh                       # 6,000 steps, eval at 500,2000,6000 (~20 CPU-min)
#   STEPS=1000 EVAL_AT=250,500,1000 bash bench/learning-curve.sh   # the short version (~3 CPU-min)
#   SEQGEN_ARGS="--init keras" bash bench/learning-curve.sh        # seqgen's earlier initialization
#   TORCH_ARGS="--init keras" ...                                  # PyTorch with seqgen's earlier initialization
# PyTorch comes from SEQGEN_PYTHON (default /usr/bin/python3, Debian's python3-torch). Logs stay in LOG_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS="${STEPS:-6000}"
EVAL_AT="${EVAL_AT:-500,2000,6000}"
PYTHON="${SEQGEN_PYTHON:-/usr/bin/python3}"
LOG_DIR="${LOG_DIR:-$(mktemp -d -t seqgen-learning-curve-XXXXXX)}"
CORPUS="$(node scripts/moby-dick-path.mjs)"
# shellcheck disable=SC2086 # the extra arguments are meant to split into words
"$PYTHON" bench/torch_char_lm.py --corpus "$CORPUS" --steps "$STEPS" --eval-at "$EVAL_AT" ${TORCH_ARGS:-} \
  | tee "$LOG_DIR/torch.log"
# shellcheck disable=SC2086
node dist/bench-learning-curve.js --corpus "$CORPUS" --steps "$STEPS" --eval-at "$EVAL_AT" ${SEQGEN_ARGS:-} \
  | tee "$LOG_DIR/seqgen.log"

echo
echo "held-out nats/char after N steps (logs: $LOG_DIR)"
printf '| %s | %s | %s | %s |\n' steps PyTorch seqgen "seqgen - PyTorch"
echo "| ---: | ---: | ---: | ---: |"
IFS=',' read -ra points <<<"$EVAL_AT"
for n in "${points[@]}"; do
  t=$(sed -n "s/^torch eval step $n: held-out \([0-9.]*\).*/\1/p" "$LOG_DIR/torch.log")
  s=$(sed -n "s/^seqgen eval step $n: held-out \([0-9.]*\).*/\1/p" "$LOG_DIR/seqgen.log")
  awk -v n="$n" -v t="$t" -v s="$s" 'BEGIN { printf "| %s | %s | %s | %+.4f |\n", n, t, s, s - t }'
done
