import { Seq2Seq } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import { loadOncePerUrl } from './load-once.js';

/** A translation model with the tokenizers of both sides and its checkpoint's metadata. */
export type Seq2SeqWithTokenizers = {
  model: Seq2Seq;
  source: SeqgenTokenizer;
  target: SeqgenTokenizer;
  metadata: Record<string, unknown>;
};

/** Loads an encoder–decoder checkpoint by URL once per worker (a failed load is forgotten, so a retry loads again). */
export const loadSeq2SeqAt = loadOncePerUrl((url) =>
  Seq2Seq.load(url).then((loaded): Seq2SeqWithTokenizers => {
    const { model, source, target } = loaded;
    if (!source || !target) {
      model.dispose();
      throw new Error(`checkpoint ${url} has no ${source ? 'target' : 'source'} tokenizer: it cannot translate text`);
    }
    // A checkpoint's codecs are typed by core's registry; translation ones are tokenizers.
    return { model, source: source as SeqgenTokenizer, target: target as SeqgenTokenizer, metadata: loaded.metadata };
  }),
);
