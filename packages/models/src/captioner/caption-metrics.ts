import { ShapeError } from '@seqgen/core';

/** Caption scores as coco-caption reports them (BLEU-n on 0–1, CIDEr-D on its 0–10 scale). */
export type CaptionScores = {
  /** BLEU-1 (unigrams), corpus level, closest reference length. */
  bleu1: number;
  /** BLEU-2 (geometric mean of the 1- and 2-gram precisions). */
  bleu2: number;
  /** BLEU-3. */
  bleu3: number;
  /** BLEU-4. */
  bleu4: number;
  /** CIDEr-D (σ = 6, clipped n-gram counts, ×10). */
  ciderD: number;
};

/** Lower case, punctuation dropped, split on white space (what coco-caption's PTB tokenizer leaves of simple captions). */
export function captionWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'-]+/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

function ngrams(words: readonly string[], n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const gram = words.slice(i, i + n).join(' ');
    out.set(gram, (out.get(gram) ?? 0) + 1);
  }
  return out;
}

function checkCorpus(hypotheses: readonly string[], references: readonly (readonly string[])[], context: string): void {
  if (!Array.isArray(hypotheses) || !Array.isArray(references) || hypotheses.length !== references.length) {
    throw new ShapeError(
      'references',
      `one list of references per hypothesis (${hypotheses?.length})`,
      String(references?.length),
      context,
    );
  }
  if (hypotheses.length === 0) throw new ShapeError('hypotheses', 'at least one caption', '0', context);
  references.forEach((refs, i) => {
    if (!Array.isArray(refs) || refs.length === 0) {
      throw new ShapeError(`references[${i}]`, 'one or more reference captions', String(refs), context);
    }
  });
}

/**
 * Corpus BLEU-1…4 as coco-caption's `Bleu(4)` computes it: clipped n-gram
 * matches against all references of each caption, summed over the corpus,
 * the brevity penalty from the closest reference length (ties: the shorter),
 * and its tiny constants instead of smoothing.
 */
export function captionBleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
): [number, number, number, number] {
  checkCorpus(hypotheses, references, 'captionBleu');
  const correct = [0, 0, 0, 0];
  const total = [0, 0, 0, 0];
  let testLen = 0;
  let refLen = 0;
  hypotheses.forEach((hyp, i) => {
    const words = captionWords(hyp);
    const refs = (references[i] as readonly string[]).map(captionWords);
    testLen += words.length;
    let closest = refs[0]?.length ?? 0;
    for (const r of refs) {
      const [d, best] = [Math.abs(r.length - words.length), Math.abs(closest - words.length)];
      if (d < best || (d === best && r.length < closest)) closest = r.length;
    }
    refLen += closest;
    for (let n = 1; n <= 4; n++) {
      const maxRef = new Map<string, number>();
      for (const r of refs) for (const [g, c] of ngrams(r, n)) maxRef.set(g, Math.max(maxRef.get(g) ?? 0, c));
      for (const [g, c] of ngrams(words, n))
        correct[n - 1] = (correct[n - 1] as number) + Math.min(c, maxRef.get(g) ?? 0);
      total[n - 1] = (total[n - 1] as number) + Math.max(0, words.length - n + 1);
    }
  });
  const tiny = 1e-15;
  const small = 1e-9;
  const ratio = (testLen + tiny) / (refLen + small);
  const brevity = ratio < 1 ? Math.exp(1 - 1 / ratio) : 1;
  const out: number[] = [];
  let product = 1;
  for (let n = 1; n <= 4; n++) {
    product *= ((correct[n - 1] as number) + tiny) / ((total[n - 1] as number) + small);
    out.push(product ** (1 / n) * brevity);
  }
  return out as [number, number, number, number];
}

type Vector = { vec: Map<string, number>[]; norm: number[]; length: number };

/**
 * Corpus CIDEr-D exactly as coco-caption's `CiderD` computes it: n-grams
 * n = 1…4 weighted by tf · (log |images| − log df), df counted over the
 * references of the whole test set; per order, the cosine of the caption's
 * vector with each reference's, with the caption's counts clipped at the
 * reference's and a Gaussian length penalty (σ = 6); the mean over orders,
 * averaged over the references, ×10; then the mean over images.
 */
export function ciderD(hypotheses: readonly string[], references: readonly (readonly string[])[]): number {
  checkCorpus(hypotheses, references, 'ciderD');
  const refCounts = references.map((refs) => refs.map((r) => countsOf(captionWords(r))));
  const df = new Map<string, number>();
  for (const refs of refCounts) {
    const seen = new Set<string>();
    for (const r of refs) for (const order of r) for (const g of order.keys()) seen.add(g);
    for (const g of seen) df.set(g, (df.get(g) ?? 0) + 1);
  }
  const logImages = Math.log(references.length);
  const toVector = (counts: Map<string, number>[]): Vector => {
    const vec = counts.map(() => new Map<string, number>());
    const norm = [0, 0, 0, 0];
    let length = 0;
    counts.forEach((order, n) => {
      for (const [g, tf] of order) {
        const weight = tf * (logImages - Math.log(Math.max(1, df.get(g) ?? 0)));
        (vec[n] as Map<string, number>).set(g, weight);
        norm[n] = (norm[n] as number) + weight * weight;
        if (n === 1) length += tf;
      }
    });
    return { vec, norm: norm.map(Math.sqrt), length };
  };
  const sigma = 6;
  let sum = 0;
  hypotheses.forEach((hyp, i) => {
    const h = toVector(countsOf(captionWords(hyp)));
    const refs = (refCounts[i] as Map<string, number>[][]).map(toVector);
    const score = [0, 0, 0, 0];
    for (const r of refs) {
      const delta = h.length - r.length;
      for (let n = 0; n < 4; n++) {
        let value = 0;
        for (const [g, w] of h.vec[n] as Map<string, number>) {
          const rw = (r.vec[n] as Map<string, number>).get(g) ?? 0;
          value += Math.min(w, rw) * rw;
        }
        if ((h.norm[n] as number) !== 0 && (r.norm[n] as number) !== 0) {
          value /= (h.norm[n] as number) * (r.norm[n] as number);
        }
        score[n] = (score[n] as number) + value * Math.exp(-(delta * delta) / (2 * sigma * sigma));
      }
    }
    sum += (score.reduce((a, b) => a + b, 0) / 4 / refs.length) * 10;
  });
  return sum / hypotheses.length;
}

/** n-gram counts of orders 1–4. */
function countsOf(words: readonly string[]): Map<string, number>[] {
  return [1, 2, 3, 4].map((n) => ngrams(words, n));
}

/** BLEU-1…4 and CIDEr-D of a corpus of captions against their references. */
export function captionScores(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
): CaptionScores {
  const [bleu1, bleu2, bleu3, bleu4] = captionBleu(hypotheses, references);
  return { bleu1, bleu2, bleu3, bleu4, ciderD: ciderD(hypotheses, references) };
}
