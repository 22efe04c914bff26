import { attentionSvg, UsageError, writeOutputFile } from '@seqgen/app-kit';
import { explorerHtml } from '@seqgen/interpret';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import { loadTranslator } from './checkpoint.js';
import { translateLines } from './translate.js';

export interface ExplainOptions {
  checkpoint: string;
  sentence: string;
  beams: number;
  /** The SVG to write (refused if it exists, unless `force`). */
  out: string;
  /** Also write @seqgen/interpret's self-contained explorer page with the attention matrix (refused if it exists, unless `force`). */
  html?: string;
  force?: boolean;
  warn: (message: string) => void;
}

export interface Explanation {
  translation: string;
  sourceTokens: string[];
  targetTokens: string[];
  /** `[target token][source token]` attention weights. */
  weights: number[][];
}

/** Each token's own text (byte-level pieces of one character may show as U+FFFD). */
function tokenTexts(tokenizer: SeqgenTokenizer, ids: readonly number[]): string[] {
  return ids.map((id) => tokenizer.decode([id]));
}

/** `explain`: translates one sentence with attention weights and writes them as an SVG heat map. */
export async function explainSentence(options: ExplainOptions): Promise<Explanation> {
  if (options.sentence.trim() === '') throw new UsageError('explain needs a non-empty sentence');
  const translator = await loadTranslator(options.checkpoint);
  try {
    if (translator.model.config.attention === 'none') {
      throw new UsageError(
        `checkpoint ${options.checkpoint} has no attention (trained with --attention none): nothing to draw`,
      );
    }
    const [line] = await translateLines(translator, [options.sentence], {
      beams: options.beams,
      nBest: 1,
      attention: true,
      warn: options.warn,
    });
    const best = line?.candidates[0];
    if (!line || !best) throw new Error('internal: no translation');
    const sourceTokens = tokenTexts(translator.source, line.sourceIds);
    const targetTokens = [...tokenTexts(translator.target, best.tokens), '</s>'];
    const weights = (best.attention ?? []).map((row) => Array.from(row, (w) => Math.round(w * 1e4) / 1e4));
    writeOutputFile(
      options.out,
      attentionSvg({
        sourceTokens,
        targetTokens: targetTokens.slice(0, weights.length),
        weights,
        title: `${options.sentence} → ${best.text}`,
      }),
      { force: options.force },
    );
    const rows = targetTokens.slice(0, weights.length);
    if (options.html) {
      const page = explorerHtml({
        title: `seqgen-translate explain: ${options.sentence}`,
        tokens: sourceTokens,
        units: [],
        attention: [
          { title: `${options.sentence} → ${best.text}`, sourceTokens, targetTokens: rows, weights: weights.flat() },
        ],
      });
      writeOutputFile(options.html, page, { force: options.force });
    }
    return { translation: best.text, sourceTokens, targetTokens: rows, weights };
  } finally {
    translator.model.dispose();
  }
}
