import { join } from 'node:path';
import { loadTranslator } from './checkpoint.js';
import { evaluate, PRETRAINED_CHECKPOINT } from './eval.js';
import { prepareData } from './prepared-data.js';
import { train } from './train.js';
import { translateLines } from './translate.js';

/** UI-message-like sentences the demo translates (none of them is a training pair verbatim). */
export const DEMO_SENTENCES = [
  'Save the file',
  'Could not open file %s',
  'Show hidden files',
  'The connection was refused',
  'Delete all selected items?',
];

/** Test pairs the demo scores the shipped model on (the README's figure uses all of them). */
const DEMO_EVAL_PAIRS = 200;

/**
 * The demo: prepares the en→de gettext pairs installed here, trains a small
 * model for `minutes`, then shows its translations next to the shipped
 * checkpoint's, and the shipped checkpoint's BLEU/chrF on part of its held-out
 * test set beside the copy-the-source baseline. Everything goes through the
 * CLI's own functions.
 */
export async function runDemo(options: { minutes: number; dir?: string }): Promise<void> {
  const dir = options.dir ?? join(process.cwd(), 'runs', 'demo');
  const log = (line: string) => console.log(line);
  log(
    `seqgen translate demo — en→de from the gettext catalogs in /usr/share/locale; ${options.minutes} min of training`,
  );
  const data = prepareData(
    { out: join(dir, 'data'), force: true, lang: 'de', test: 1000, valid: 500, vocab: 2000, seed: 1 },
    log,
  );
  const summary = await train({
    data: data.dir,
    out: join(dir, 'model'),
    force: true,
    cell: 'gru',
    attention: 'bahdanau',
    layers: 1,
    hidden: 160,
    embedding: 96,
    bidirectional: false,
    inputFeeding: true,
    dropout: 0,
    labelSmoothing: 0,
    minutes: options.minutes,
    steps: 1,
    batch: 128,
    lr: 3e-3,
    maxLen: 48,
    seed: 1,
    output: { info: log, result: log },
  });
  if (summary.interrupted) process.exit(130);
  for (const [label, checkpoint, beams] of [
    [`this demo's model (${summary.steps} steps, greedy)`, summary.out, 1],
    ['the shipped checkpoint (beam 5)', PRETRAINED_CHECKPOINT, 5],
  ] as const) {
    const translator = await loadTranslator(checkpoint);
    try {
      const out = await translateLines(translator, DEMO_SENTENCES, { beams, nBest: 1, warn: log });
      log(`\n--- ${label} ---`);
      for (const t of out) log(`${t.source}  →  ${t.candidates[0]?.text ?? ''}`);
    } finally {
      translator.model.dispose();
    }
  }
  const report = await evaluate({ checkpoint: PRETRAINED_CHECKPOINT, beams: 1, limit: DEMO_EVAL_PAIRS });
  const copy = report.baselines.copy_source;
  log(
    `\nshipped checkpoint on the first ${report.examples} pairs of its held-out test set (greedy): ` +
      `BLEU ${report.metrics.bleu.toFixed(2)}, chrF ${report.metrics.chrf.toFixed(2)}` +
      (copy ? ` (copy-the-source baseline: BLEU ${copy.bleu.toFixed(2)}, chrF ${copy.chrf.toFixed(2)})` : ''),
  );
  log(`try: node dist/cli.js translate --checkpoint ${summary.out} "Open the file"`);
}
