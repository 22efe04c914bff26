import { ConfigError } from '@seqgen/base';
import { tokenize13a } from '../tokenize-13a.js';

/** One entry a {@link Bm25Retriever} searches: a context and the reply that followed it. */
export interface RetrievalEntry {
  /** Searched text. */
  context: string;
  /** What is returned for it. */
  reply: string;
}

/** BM25 parameters of {@link Bm25Retriever}. */
export interface Bm25Options {
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  /** Length normalization in [0, 1]. Default 0.75. */
  b?: number;
}

/** The best match of a query. */
export interface RetrievalMatch {
  /** Index of the entry in the list the retriever was built from. */
  index: number;
  /** Its BM25 score (0 when no query term occurs anywhere: then the first entry). */
  score: number;
  /** Its reply. */
  reply: string;
}

function terms(text: string): string[] {
  return tokenize13a(text.toLowerCase())
    .split(' ')
    .filter((t) => t !== '');
}

/**
 * The retrieval baseline of dialogue evaluation: answer with the training
 * reply whose context is nearest to the query under Okapi BM25 (lowercased
 * 13a tokens, IDF `ln(1 + (N − df + ½)/(df + ½))`). Ties go to the earlier entry.
 */
export class Bm25Retriever {
  private readonly entries: readonly RetrievalEntry[];
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[];
  private readonly meanLength: number;
  private readonly k1: number;
  private readonly b: number;

  constructor(entries: readonly RetrievalEntry[], options: Bm25Options = {}) {
    if (entries.length === 0) throw new ConfigError('entries', 'must hold at least one context/reply entry');
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    if (!(this.k1 >= 0) || !Number.isFinite(this.k1))
      throw new ConfigError('k1', `must be finite and ≥ 0, got ${this.k1}`);
    if (!(this.b >= 0 && this.b <= 1)) throw new ConfigError('b', `must be in [0, 1], got ${this.b}`);
    this.entries = entries;
    this.lengths = entries.map((entry, doc) => {
      const counts = new Map<string, number>();
      const words = terms(entry.context);
      for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
      for (const [term, tf] of counts) {
        const list = this.postings.get(term);
        if (list) list.push({ doc, tf });
        else this.postings.set(term, [{ doc, tf }]);
      }
      return words.length;
    });
    this.meanLength = this.lengths.reduce((a, b) => a + b, 0) / entries.length || 1;
  }

  /** The entry whose context scores highest against `query`. */
  nearest(query: string): RetrievalMatch {
    const scores = new Float64Array(this.entries.length);
    const n = this.entries.length;
    for (const term of new Set(terms(query))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const norm = this.k1 * (1 - this.b + (this.b * (this.lengths[doc] as number)) / this.meanLength);
        scores[doc] = (scores[doc] as number) + (idf * tf * (this.k1 + 1)) / (tf + norm);
      }
    }
    let best = 0;
    for (let i = 1; i < n; i++) if ((scores[i] as number) > (scores[best] as number)) best = i;
    return { index: best, score: scores[best] as number, reply: (this.entries[best] as RetrievalEntry).reply };
  }
}
