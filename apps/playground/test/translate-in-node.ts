import { join } from 'node:path';
import { Seq2Seq, translateBatch } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import * as tf from '@tensorflow/tfjs';
import { APP_ROOT } from './built-app.js';

/** The checkpoint the page's Translate tab loads, read here from the translate app's folder. */
const CHECKPOINT = join(APP_ROOT, '../translate/pretrained/en-de-gru-attention');

/**
 * Greedy translations of `lines` computed in Node on tfjs's cpu backend, and each line's number of
 * source tokens: what the page, running the same checkpoint on wasm, must show.
 */
export async function translateInNode(lines: readonly string[]): Promise<{ greedy: string[]; sourceTokens: number[] }> {
  await tf.setBackend('cpu');
  const { model, source, target } = await Seq2Seq.load(CHECKPOINT);
  try {
    if (!source || !target) throw new Error(`${CHECKPOINT} has no tokenizers`);
    const ids = lines.map((line) => source.encode(line));
    const results = await translateBatch(model, ids, { numBeams: 1 });
    return {
      greedy: results.map((r) =>
        (target as SeqgenTokenizer).decode(r.sequences[0]?.tokens ?? [], { skipSpecialTokens: true }),
      ),
      sourceTokens: ids.map((line) => line.length),
    };
  } finally {
    model.dispose();
  }
}
