import { describeCharacter } from '@seqgen/app-kit';
import { translateBatch } from '@seqgen/models';
import { protectPlaceholders, restorePlaceholders } from '@seqgen/text';
import type { LoadedTranslator } from './checkpoint.js';

export interface TranslateLinesOptions {
  /** Beam width (1: greedy). */
  beams: number;
  /** Translations per line, best first (at most `beams` with beam search). */
  nBest: number;
  /** Beam ranking `logProb / length ** lengthPenalty` (default 1). */
  lengthPenalty?: number;
  /** Also return each output token's attention over the source tokens. */
  attention?: boolean;
  /** Where per-line warnings go (truncation, characters the model never saw). */
  warn: (message: string) => void;
  /** Lines decoded together (default 32). */
  chunk?: number;
}

export interface Candidate {
  text: string;
  /** Length-normalized log-probability (beam search) or log-probability (greedy). */
  score: number;
  /** Target token ids (EOS stripped). */
  tokens: number[];
  attention?: Float32Array[];
}

export interface LineTranslation {
  source: string;
  /** Source token ids the model read (placeholder-protected, cut to the model's maximum). */
  sourceIds: number[];
  truncated: boolean;
  /** Best first; one empty candidate for an empty line. */
  candidates: Candidate[];
}

/**
 * Translates lines: printf placeholders (`%s`, `%1$d`…) are replaced by
 * markers the model copies and put back afterwards; an empty line gives an
 * empty translation without running the model; a source longer than the model
 * trained on is cut to its maximum with a warning; characters the model never
 * saw in training are named in a warning. Non-empty lines are decoded `chunk`
 * at a time in one batch (beam search for all of them at once).
 */
export async function translateLines(
  translator: LoadedTranslator,
  lines: readonly string[],
  options: TranslateLinesOptions,
): Promise<LineTranslation[]> {
  const { model, source, target, metadata } = translator;
  const max = metadata.maxSourceTokens;
  const unseen = new Set(Array.isArray(metadata.unseenSourceIds) ? (metadata.unseenSourceIds as number[]) : []);
  const out: LineTranslation[] = [];
  const pending: {
    index: number;
    ids: number[];
    placeholders: ReturnType<typeof protectPlaceholders>['placeholders'];
  }[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') {
      out[index] = { source: line, sourceIds: [], truncated: false, candidates: [{ text: '', score: 0, tokens: [] }] };
      return;
    }
    const protectedLine = protectPlaceholders(line);
    let ids = source.encode(protectedLine.text);
    const truncated = ids.length > max;
    if (truncated) {
      options.warn(
        `line ${index + 1}: ${[...line].length} characters make ${ids.length} source tokens; translating only the first ${max} (the longest the model trained on)`,
      );
      ids = ids.slice(0, max);
    }
    if (unseen.size > 0 && ids.some((id) => unseen.has(id))) {
      const chars = [...new Set(line)].filter((c) => source.encode(c).some((id) => unseen.has(id)));
      if (chars.length > 0) {
        options.warn(
          `line ${index + 1}: ${chars.slice(0, 8).map(describeCharacter).join(', ')}${chars.length > 8 ? ', …' : ''} never occurred in the training data; the model has not learned to translate ${chars.length > 1 ? 'them' : 'it'}`,
        );
      }
    }
    out[index] = { source: line, sourceIds: ids, truncated, candidates: [] };
    pending.push({ index, ids, placeholders: protectedLine.placeholders });
  });
  // <pad>, <unk>, <bos>, <eos> never reach the text; the placeholder slots (special tokens too) must.
  const control = new Set(
    ['<pad>', '<unk>', '<bos>', '<eos>'].map((t) => target.tokenToId(t)).filter((id) => id !== undefined),
  );
  const chunk = options.chunk ?? 32;
  for (let i = 0; i < pending.length; i += chunk) {
    const part = pending.slice(i, i + chunk);
    const results = await translateBatch(
      model,
      part.map((p) => p.ids),
      {
        numBeams: options.beams,
        numReturnSequences: Math.min(options.nBest, options.beams),
        lengthPenalty: options.lengthPenalty ?? 1,
        returnAttention: Boolean(options.attention),
      },
    );
    results.forEach((result, j) => {
      const p = part[j] as (typeof part)[number];
      (out[p.index] as LineTranslation).candidates = result.sequences.map((seq) => ({
        // One output line per input line: a newline the model might emit becomes a space.
        text: restorePlaceholders(target.decode(seq.tokens.filter((id) => !control.has(id))), p.placeholders).replace(
          /[\r\n]+/g,
          ' ',
        ),
        score: seq.score,
        tokens: seq.tokens,
        ...(seq.attention ? { attention: seq.attention } : {}),
      }));
    });
  }
  return out;
}
