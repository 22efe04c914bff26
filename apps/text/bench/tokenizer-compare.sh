#!/usr/bin/env bash
# Which tokenizer to pick: the same char-LSTM recipe (1 x LSTM 256, embedding 64, batch 32 x 64 tokens,
# Adam 3e-3 warmup + cosine, clip 5, seed 1) trained for the same CPU budget with the character, byte-level
# BPE (512 tokens) and word (8,000 words + single non-word characters) tokenizers on Moby-Dick, each scored
# on the same held-out tenth in bits per character (a word model's <unk> hides the spelling of the words it
# does not know: its <unk> rate is printed beside it).
# Usage (from apps/text after `pnpm build`): MINUTES=10 bash bench/tokenizer-compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${MINUTES:-10}"
OUT="${OUT:-runs/tokenizer-compare}"
corpus="$(node scripts/moby-dick-path.mjs)"
mkdir -p "$OUT"
for kind in ${KINDS:-char bpe word}; do
  node dist/cli.js train --corpus "$corpus" --tokenizer "$kind" --cell lstm --layers 1 --hidden 256 --embedding 64 \
    --seq-len 64 --batch 32 --lr 3e-3 --seed 1 --minutes "$MINUTES" --clock cpu --sample-length 0 \
    --out "$OUT/$kind" --force --quiet --json > "$OUT/$kind.train.json"
  node dist/cli.js eval --checkpoint "$OUT/$kind" --corpus "$corpus" --baseline-order 0 --json > "$OUT/$kind.eval.json"
  echo "== $kind"
  node -e '
    const fs = require("fs");
    const [train, ev] = process.argv.slice(1, 3).map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
    console.log(JSON.stringify({ train, eval: ev }));
  ' "$OUT/$kind.train.json" "$OUT/$kind.eval.json"
done
