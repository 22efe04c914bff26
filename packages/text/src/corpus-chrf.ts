import { pythonSplit } from './python-whitespace.js';
import { referencesPerHypothesis } from './references.js';

const CHAR_ORDER = 6;
const BETA = 2;

/** Corpus chrF as sacreBLEU reports it. */
export interface ChrFScore {
  /** chrF2, 0–100. */
  score: number;
}

/**
 * Corpus-level chrF exactly as sacreBLEU's defaults compute it (`CHRF()`:
 * character n-grams up to 6 over code points, whitespace removed, no word
 * n-grams, β = 2, case-sensitive, sacreBLEU-2 effective-order averaging).
 * With several references per hypothesis, the one with the best sentence
 * F-score supplies that sentence's statistics. Bad shapes are `ShapeError`.
 */
export function corpusChrF(
  hypotheses: readonly string[],
  references: readonly string[] | readonly (readonly string[])[],
): ChrFScore {
  const refs = referencesPerHypothesis(hypotheses, references, 'corpusChrF');
  const totals = new Array<number>(3 * CHAR_ORDER).fill(0);
  hypotheses.forEach((hypothesis, i) => {
    const hyp = charNgrams(hypothesis);
    let best: number[] = [];
    let bestF = -1;
    for (const ref of refs[i] ?? []) {
      const refGrams = charNgrams(ref);
      const stats = hyp.flatMap((h, n) => matchStatistics(h, refGrams[n] ?? new Map()));
      const f = fScore(stats);
      if (f > bestF) {
        bestF = f;
        best = stats;
      }
    }
    best.forEach((value, k) => {
      totals[k] = (totals[k] ?? 0) + value;
    });
  });
  return { score: fScore(totals) };
}

/** Counts of character n-grams, n = 1…6, over code points with all whitespace removed. */
function charNgrams(sentence: string): Map<string, number>[] {
  const chars = Array.from(pythonSplit(sentence).join(''));
  const result: Map<string, number>[] = [];
  for (let n = 1; n <= CHAR_ORDER; n++) {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= chars.length; i++) {
      const gram = chars.slice(i, i + n).join('');
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
    result.push(counts);
  }
  return result;
}

/** [hypothesis n-grams, reference n-grams, matches]; hypothesis n-grams count 0 against an empty reference. */
function matchStatistics(hyp: Map<string, number>, ref: Map<string, number>): [number, number, number] {
  let hypCount = 0;
  let matches = 0;
  for (const [gram, count] of hyp) {
    hypCount += count;
    matches += Math.min(count, ref.get(gram) ?? 0);
  }
  let refCount = 0;
  for (const count of ref.values()) refCount += count;
  return [ref.size > 0 ? hypCount : 0, refCount, matches];
}

/** F-beta over the orders where both sides have n-grams, precision and recall averaged first. */
function fScore(stats: readonly number[]): number {
  const factor = BETA ** 2;
  let precision = 0;
  let recall = 0;
  let orders = 0;
  for (let n = 0; n < CHAR_ORDER; n++) {
    const [hyp = 0, ref = 0, match = 0] = stats.slice(3 * n, 3 * n + 3);
    if (hyp > 0 && ref > 0) {
      precision += match / hyp;
      recall += match / ref;
      orders++;
    }
  }
  if (orders === 0) return 0;
  precision /= orders;
  recall /= orders;
  return precision + recall ? 100 * (((1 + factor) * precision * recall) / (factor * precision + recall)) : 0;
}
