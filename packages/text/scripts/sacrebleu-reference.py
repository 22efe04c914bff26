"""Writes sacreBLEU's default corpus BLEU and chrF for every case of
src/test-fixtures/metric-cases.json to src/test-fixtures/sacrebleu-scores.json.

    python3 scripts/sacrebleu-reference.py   # from packages/text, with sacrebleu installed

Debian bookworm has no python3-sacrebleu package; the stored scores came from
sacrebleu 2.6.0 installed from PyPI into a virtual environment
(`python3 -m venv .venv && .venv/bin/pip install sacrebleu==2.6.0`).

The TypeScript tests compare against the stored scores, so they need no Python.
"""
import json
import pathlib
import sys

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

here = pathlib.Path(__file__).resolve().parent.parent / 'src' / 'test-fixtures'
cases = json.loads((here / 'metric-cases.json').read_text(encoding='utf-8'))['cases']
results = []
tokenize = Tokenizer13a()
bleu_metric, chrf_metric = BLEU(), CHRF()
for case in cases:
    hyps = case['hypotheses']
    # sacreBLEU takes reference streams; pad ragged lists with None (its "no reference here").
    width = max(len(refs) for refs in case['references'])
    streams = [[refs[k] if k < len(refs) else None for refs in case['references']] for k in range(width)]
    bleu = bleu_metric.corpus_score(hyps, streams)
    chrf = chrf_metric.corpus_score(hyps, streams)
    results.append({
        'name': case['name'],
        'bleu': {
            'score': bleu.score, 'precisions': bleu.precisions, 'bp': bleu.bp, 'ratio': bleu.ratio,
            'sysLen': bleu.sys_len, 'refLen': bleu.ref_len,
        },
        'chrf': {'score': chrf.score},
        # The 13a tokenization of each hypothesis and reference, for the tokenizer's own test.
        'tokenized': [tokenize(text) for text in hyps + [r for refs in case['references'] for r in refs]],
    })
    print(f"{case['name']}: BLEU {bleu.score!r} chrF {chrf.score!r}")
(here / 'sacrebleu-scores.json').write_text(json.dumps({
    'command': 'python3 scripts/sacrebleu-reference.py (from packages/text)',
    'sacrebleu': sacrebleu.__version__,
    'python': sys.version.split()[0],
    'signatures': {'bleu': str(bleu_metric.get_signature()), 'chrf': str(chrf_metric.get_signature())},
    'results': results,
}, ensure_ascii=False, indent=2) + '\n', encoding='utf-8')
