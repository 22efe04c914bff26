#!/usr/bin/env bash
# Transfer learning experiment: fine-tune FROM (default: the shipped pretrained/moby-char-lstm) on State of
# the Union 2010–2021 versus training the same architecture (LAYERS × HIDDEN, DROPOUT: the shipped
# model's 2 × 512, 0.2 by default) from scratch, same budget (MINUTES, default 3), same held-out tail.
# Both runs go side by side (one core each). Run from apps/text after `pnpm build`.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${MINUTES:-3}"
CORPUS="$(bash scripts/sotu-corpus.sh)"
RUNS="${RUNS:-runs}"
COMMON=(--corpus "$CORPUS" --minutes "$MINUTES" --clock cpu --seq-len 64 --batch 32 --lr 3e-3 --seed 1)
node dist/cli.js finetune --from "${FROM:-pretrained/moby-char-lstm}" "${COMMON[@]}" --out "$RUNS/sotu-finetuned" >"$RUNS/sotu-finetuned.txt" 2>&1 &
node dist/cli.js train --tokenizer char --cell lstm --layers "${LAYERS:-2}" --hidden "${HIDDEN:-512}" \
  --dropout "${DROPOUT:-0.2}" --embedding 64 "${COMMON[@]}" \
  --out "$RUNS/sotu-scratch" >"$RUNS/sotu-scratch.txt" 2>&1 &
wait
grep -h -E "vocabulary|trained" "$RUNS/sotu-finetuned.txt" "$RUNS/sotu-scratch.txt"
