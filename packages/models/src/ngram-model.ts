import { assertPositiveInteger, ConfigError } from '@seqgen/core';

/** Joins symbols into map keys (symbols must not contain it). */
const SEP = '\u0001';
/** Stands for every symbol not seen in training. */
export const NGRAM_UNKNOWN = '\u0000';

/** How well an {@link NgramModel} predicts a symbol sequence: total and mean negative log-likelihood. */
export interface NgramEvaluation {
  /** Total negative log-likelihood in nats. */
  nats: number;
  /** Symbols predicted. */
  symbols: number;
  /** Mean nats per symbol. */
  natsPerSymbol: number;
}

/**
 * An interpolated Kneser-Ney n-gram model over symbols (characters, or any
 * token strings): absolute discounting with per-order discounts
 * `n1 / (n1 + 2 n2)`, raw counts at the top order and continuation counts
 * below. The simple baseline apps print beside a recurrent model's figure.
 * Pure JavaScript; no tfjs.
 */
export class NgramModel {
  /** The n of the n-grams: each symbol is predicted from the `order − 1` before it. */
  readonly order: number;
  /** Training symbols plus {@link NGRAM_UNKNOWN}. */
  readonly vocabulary: ReadonlySet<string>;
  private readonly counts: Map<string, number>[] = [];
  private readonly totals: Map<string, [number, number]>[] = [];
  private readonly discounts: number[] = [];

  private constructor(order: number, symbols: readonly string[]) {
    this.order = order;
    for (const s of symbols) {
      if (s.includes(SEP)) throw new ConfigError('symbols', 'must not contain U+0001');
    }
    this.vocabulary = new Set([...symbols, NGRAM_UNKNOWN]);
    const top = order - 1;
    for (let k = 0; k <= top; k++) {
      this.counts.push(new Map());
      this.totals.push(new Map());
    }
    // Top order: raw counts of every n-gram (the first symbols have shorter contexts).
    for (let i = 0; i < symbols.length; i++) {
      const start = Math.max(0, i - top);
      const map = this.counts[i - start] as Map<string, number>;
      const gram = symbols.slice(start, i + 1).join(SEP);
      map.set(gram, (map.get(gram) ?? 0) + 1);
    }
    // Lower orders: continuation counts N1+(• h w), the number of distinct left extensions.
    for (let k = top; k > 0; k--) {
      const lower = this.counts[k - 1] as Map<string, number>;
      for (const gram of (this.counts[k] as Map<string, number>).keys()) {
        const suffix = gram.slice(gram.indexOf(SEP) + 1);
        lower.set(suffix, (lower.get(suffix) ?? 0) + 1);
      }
    }
    for (let k = 0; k <= top; k++) {
      const totals = this.totals[k] as Map<string, [number, number]>;
      let n1 = 0;
      let n2 = 0;
      for (const [gram, c] of this.counts[k] as Map<string, number>) {
        const ctx = k === 0 ? '' : gram.slice(0, gram.lastIndexOf(SEP));
        const t = totals.get(ctx) ?? [0, 0];
        t[0] += c;
        t[1] += 1;
        totals.set(ctx, t);
        if (c === 1) n1++;
        else if (c === 2) n2++;
      }
      this.discounts.push(n1 + 2 * n2 > 0 ? n1 / (n1 + 2 * n2) : 0.75);
    }
  }

  /** Counts every n-gram of `symbols` (a string is read as its characters) up to `order`. */
  static train(symbols: string | readonly string[], options: { order: number }): NgramModel {
    assertPositiveInteger('order', options.order);
    const list = typeof symbols === 'string' ? Array.from(symbols) : symbols;
    if (list.length === 0) throw new ConfigError('symbols', 'are empty: there is nothing to count');
    return new NgramModel(options.order, list);
  }

  /** P(symbol | context), the context being the previous ≤ order−1 symbols (an unseen symbol is {@link NGRAM_UNKNOWN}). */
  probability(context: readonly string[], symbol: string): number {
    const c = this.vocabulary.has(symbol) ? symbol : NGRAM_UNKNOWN;
    let p = 1 / this.vocabulary.size;
    for (let k = 0; k <= Math.min(context.length, this.order - 1); k++) {
      const ctx = context
        .slice(context.length - k)
        .map((s) => (this.vocabulary.has(s) ? s : NGRAM_UNKNOWN))
        .join(SEP);
      const t = (this.totals[k] as Map<string, [number, number]>).get(ctx);
      if (!t) break; // longer contexts were not seen either
      const d = this.discounts[k] as number;
      const count = (this.counts[k] as Map<string, number>).get(k === 0 ? c : ctx + SEP + c) ?? 0;
      p = Math.max(count - d, 0) / t[0] + ((d * t[1]) / t[0]) * p;
    }
    return p;
  }

  /** Negative log-likelihood of `symbols` read in order, each given the ones before it (from the first). */
  evaluate(symbols: string | readonly string[]): NgramEvaluation {
    const list = (typeof symbols === 'string' ? Array.from(symbols) : [...symbols]).map((s) =>
      this.vocabulary.has(s) ? s : NGRAM_UNKNOWN,
    );
    let nats = 0;
    for (let i = 0; i < list.length; i++) {
      nats -= Math.log(this.probability(list.slice(Math.max(0, i - this.order + 1), i), list[i] as string));
    }
    return { nats, symbols: list.length, natsPerSymbol: list.length > 0 ? nats / list.length : Number.NaN };
  }
}
