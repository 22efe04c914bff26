import { TokenizerError } from '@seqgen/base';

/**
 * Throws 'vocab-mismatch' unless `tokenizer.vocabSize` equals what a model
 * (or checkpoint) was built with: a mismatch would index past the embedding
 * or silently map ids to the wrong rows.
 */
export function assertMatchesVocab(
  tokenizer: { readonly type: string; readonly vocabSize: number },
  expectedVocabSize: number,
  what = 'checkpoint',
): void {
  if (tokenizer.vocabSize !== expectedVocabSize) {
    throw new TokenizerError(
      'vocab-mismatch',
      `${tokenizer.type} tokenizer has ${tokenizer.vocabSize} tokens but the ${what} expects ${expectedVocabSize}`,
    );
  }
}
