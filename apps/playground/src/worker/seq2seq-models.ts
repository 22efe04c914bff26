import { Seq2Seq } from '@seqgen/models';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';

/** A translation model with the tokenizers of both sides and its checkpoint's metadata. */
export type Seq2SeqWithTokenizers = {
  model: Seq2Seq;
  source: SeqgenTokenizer;
  target: SeqgenTokenizer;
  metadata: Record<string, unknown>;
};

const byUrl = new Map<string, Promise<Seq2SeqWithTokenizers>>();

/** Loads an encoder–decoder checkpoint by URL once per worker (a failed load is forgotten, so a retry loads again). */
export function loadSeq2SeqAt(url: string): Promise<Seq2SeqWithTokenizers> {
  let loading = byUrl.get(url);
  if (!loading) {
    loading = Seq2Seq.load(url).then((loaded) => {
      const { model, source, target } = loaded;
      if (!source || !target) {
        model.dispose();
        throw new Error(`checkpoint ${url} has no ${source ? 'target' : 'source'} tokenizer: it cannot translate text`);
      }
      // A checkpoint's codecs are typed by core's registry; translation ones are tokenizers.
      return { model, source: source as SeqgenTokenizer, target: target as SeqgenTokenizer, metadata: loaded.metadata };
    });
    byUrl.set(url, loading);
    loading.catch(() => byUrl.delete(url));
  }
  return loading;
}
