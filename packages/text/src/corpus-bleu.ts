import { pythonRstrip, pythonSplit } from './python-whitespace.js';
import { referencesPerHypothesis } from './references.js';
import { tokenize13a } from './tokenize-13a.js';

const MAX_ORDER = 4;

/** Corpus BLEU as sacreBLEU reports it (all on its 0–100 scale). */
export interface BleuScore {
  /** BLEU, 0–100. */
  score: number;
  /** Modified n-gram precisions for n = 1…4, in percent (exp-smoothed where no n-gram matched). */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
  /** `sysLen / refLen` (0 when `refLen` is 0). */
  ratio: number;
  /** Hypothesis tokens in the corpus. */
  sysLen: number;
  /** Effective reference tokens (closest reference length per sentence, ties to the shorter). */
  refLen: number;
}

/**
 * Corpus-level BLEU exactly as sacreBLEU's defaults compute it
 * (`BLEU()`: 13a tokenization, case-sensitive, `exp` smoothing, closest
 * reference length, n-grams up to 4). `references` is one string per
 * hypothesis, or an array per hypothesis for multiple references (their
 * n-gram counts are clipped by the maximum over references). Bad shapes are
 * `ShapeError`.
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly string[] | readonly (readonly string[])[],
): BleuScore {
  const refs = referencesPerHypothesis(hypotheses, references, 'corpusBleu');
  const correct = new Array<number>(MAX_ORDER).fill(0);
  const total = new Array<number>(MAX_ORDER).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hypotheses.forEach((hypothesis, i) => {
    const refMax = new Map<string, number>();
    const refLens: number[] = [];
    for (const ref of refs[i] ?? []) {
      const { counts, length } = ngramCounts(ref);
      refLens.push(length);
      for (const [gram, count] of counts) refMax.set(gram, Math.max(refMax.get(gram) ?? 0, count));
    }
    const hyp = ngramCounts(hypothesis);
    sysLen += hyp.length;
    refLen += closestLength(hyp.length, refLens);
    for (const [gram, count] of hyp.counts) {
      const n = gram.split(' ').length - 1;
      total[n] = (total[n] ?? 0) + count;
      correct[n] = (correct[n] ?? 0) + Math.min(count, refMax.get(gram) ?? 0);
    }
  });
  return bleuFromStatistics(correct, total, sysLen, refLen);
}

/** sacreBLEU's `compute_bleu` with `exp` smoothing and no effective order. */
function bleuFromStatistics(correct: number[], total: number[], sysLen: number, refLen: number): BleuScore {
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const ratio = refLen ? sysLen / refLen : 0;
  const precisions = new Array<number>(MAX_ORDER).fill(0);
  if (!correct.some((c) => c > 0)) return { score: 0, precisions, bp, ratio, sysLen, refLen };
  let smooth = 1;
  for (let n = 0; n < MAX_ORDER; n++) {
    const hits = correct[n] ?? 0;
    const count = total[n] ?? 0;
    if (count === 0) break;
    if (hits === 0) {
      smooth *= 2;
      precisions[n] = 100 / (smooth * count);
    } else {
      precisions[n] = (100 * hits) / count;
    }
  }
  // A zero precision (an order with no n-grams at all) makes BLEU 0, as sacreBLEU's my_log does.
  const logSum = precisions.reduce((sum, p) => sum + (p === 0 ? Number.NEGATIVE_INFINITY : Math.log(p)), 0);
  return { score: bp * Math.exp(logSum / MAX_ORDER), precisions, bp, ratio, sysLen, refLen };
}

/** Counts of every 1…4-gram of the tokenized sentence (tokens joined by spaces: 13a tokens hold none). */
function ngramCounts(sentence: string): { counts: Map<string, number>; length: number } {
  const tokens = pythonSplit(tokenize13a(pythonRstrip(sentence)));
  const counts = new Map<string, number>();
  for (let n = 1; n <= MAX_ORDER; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      const gram = tokens.slice(i, i + n).join(' ');
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
  }
  return { counts, length: tokens.length };
}

function closestLength(hypLen: number, refLens: readonly number[]): number {
  let best = -1;
  let bestDiff = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (bestDiff === -1 || diff < bestDiff || (diff === bestDiff && len < best)) {
      bestDiff = diff;
      best = len;
    }
  }
  return best;
}
