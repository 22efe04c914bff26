#!/usr/bin/env bash
# The README's table: four captioners trained at the same budget (STEPS steps of BATCH scenes, same seed,
# same 5,000 training scenes), each scored by `eval` on the 500 test scenes and on the 500 held-out-combination
# scenes. Usage: bash scripts/quality-table.sh [out-dir]   (STEPS, BATCH, JOBS overridable; runs JOBS at a time)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/quality}
STEPS=${STEPS:-200}
BATCH=${BATCH:-16}
mkdir -p "$OUT"
CLI="nice -n 10 node dist/cli.js"
common=(--steps "$STEPS" --batch "$BATCH" --scenes 5000 --lr 5e-3 --seed 1 --validate-every 50 --quiet --force)
declare -A rows=(
  [a-no-attention]="--attention none --encoder pretrained --encoder-lr 0"
  [b-attention-frozen]="--attention bahdanau --encoder pretrained --encoder-lr 0"
  [c-attention-finetuned]="--attention bahdanau --encoder pretrained --encoder-lr 0.1"
  [d-attention-scratch]="--attention bahdanau --encoder scratch --encoder-lr 1"
)
for row in "${!rows[@]}"; do
  # shellcheck disable=SC2086
  ( /usr/bin/time -f "$row: %U s user, %S s sys, %e s wall" $CLI train ${rows[$row]} "${common[@]}" --out "$OUT/$row" \
      > "$OUT/$row.train.log" 2>&1 || echo "$row: training failed" >> "$OUT/$row.train.log" ) &
done
wait
for row in "${!rows[@]}"; do
  for split in test held-out; do
    $CLI eval --checkpoint "$OUT/$row" --split "$split" --beams 3 --json > "$OUT/$row.$split.json" 2> "$OUT/$row.$split.log" &
  done
  wait
done
node -e '
const fs = require("fs");
const out = process.argv[1];
const rows = ["a-no-attention", "b-attention-frozen", "c-attention-finetuned", "d-attention-scratch"];
console.log("| row | split | BLEU-1 | BLEU-2 | BLEU-3 | BLEU-4 | CIDEr-D |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
let baselines;
for (const split of ["test", "held-out"]) {
  for (const row of rows) {
    const r = JSON.parse(fs.readFileSync(`${out}/${row}.${split}.json`, "utf8"));
    const m = r.metrics;
    console.log(`| ${row} | ${split} | ${m.bleu_1} | ${m.bleu_2} | ${m.bleu_3} | ${m.bleu_4} | ${m.cider_d} |`);
    baselines = r.baselines;
  }
  for (const [name, m] of Object.entries(JSON.parse(fs.readFileSync(`${out}/b-attention-frozen.${split}.json`, "utf8")).baselines)) {
    console.log(`| baseline ${name} | ${split} | ${m.bleu_1} | ${m.bleu_2} | ${m.bleu_3} | ${m.bleu_4} | ${m.cider_d} |`);
  }
}
' "$OUT" | tee "$OUT/table.md"
