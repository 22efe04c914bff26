import { corpusBleu, corpusChrF } from '@seqgen/text';

/** The metric names `eval --json` uses for the model and every baseline. */
export interface TranslationScores {
  bleu: number;
  chrf: number;
}

/** Corpus BLEU (sacreBLEU's defaults: 13a tokenizer, exp smoothing) and chrF2 of `hypotheses` against one reference each. */
export function scoreTranslations(hypotheses: readonly string[], references: readonly string[]): TranslationScores {
  return {
    bleu: corpusBleu([...hypotheses], [...references]).score,
    chrf: corpusChrF([...hypotheses], [...references]).score,
  };
}
