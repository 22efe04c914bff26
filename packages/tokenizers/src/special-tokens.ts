import { ConfigError } from '@seqgen/base';

/** The special tokens a tokenizer gets unless told otherwise; they take ids 0..3 in this order. */
export const DEFAULT_SPECIAL_TOKENS: readonly string[] = ['<pad>', '<unk>', '<bos>', '<eos>'];

/** Text of the padding token, which fills batch rows past their length (id 0 with the default special tokens). */
export const PAD_TOKEN = '<pad>';
/** Text of the unknown token, which stands for out-of-vocabulary input (id 1 with the default special tokens). */
export const UNK_TOKEN = '<unk>';
/** Text of the beginning-of-sequence token, written before a sequence (id 2 with the default special tokens). */
export const BOS_TOKEN = '<bos>';
/** Text of the end-of-sequence token, which ends generation (id 3 with the default special tokens). */
export const EOS_TOKEN = '<eos>';

/** Checks a special-token list given in options: non-empty strings, no repeats. */
export function validateSpecialTokens(tokens: readonly string[], field = 'specialTokens'): string[] {
  if (!Array.isArray(tokens)) throw new ConfigError(field, `expected an array of strings, got ${typeof tokens}`);
  const seen = new Set<string>();
  tokens.forEach((token, i) => {
    if (typeof token !== 'string' || token.length === 0) {
      throw new ConfigError(`${field}[${i}]`, `expected a non-empty string, got ${JSON.stringify(token)}`);
    }
    if (seen.has(token)) throw new ConfigError(`${field}[${i}]`, `${JSON.stringify(token)} is listed twice`);
    seen.add(token);
  });
  return [...tokens];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Splits text around occurrences of special tokens so that they are never
 * broken up by the ordinary algorithm. Longer tokens win over their prefixes.
 * Returns null when there are no special tokens (the common fast path).
 */
export function specialTokenPattern(tokens: readonly string[]): RegExp | null {
  if (tokens.length === 0) return null;
  const sorted = [...tokens].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
}

/** Calls `onText` for each stretch of ordinary text and `onSpecial` for each special token, in order. */
export function splitOnSpecialTokens(
  text: string,
  pattern: RegExp | null,
  onText: (chunk: string, offset: number) => void,
  onSpecial: (token: string) => void,
): void {
  if (pattern === null) {
    if (text.length > 0) onText(text, 0);
    return;
  }
  pattern.lastIndex = 0;
  let last = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m.index > last) onText(text.slice(last, m.index), last);
    onSpecial(m[0]);
    last = m.index + m[0].length;
  }
  if (last < text.length) onText(text.slice(last), last);
}
