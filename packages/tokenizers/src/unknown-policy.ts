import { ConfigError, TokenizerError } from '@seqgen/base';
import { UNK_TOKEN } from './special-tokens.js';

/** What to do with a character or word that is not in the vocabulary. */
export type UnknownPolicy = 'unk' | 'throw';

/** Resolves the policy to the id to emit (`undefined` = throw); `'unk'` needs `<unk>` among the special tokens. */
export function resolveUnknown(
  policy: UnknownPolicy | undefined,
  specialTokens: readonly string[],
): number | undefined {
  const unk = specialTokens.indexOf(UNK_TOKEN);
  const resolved = policy ?? (unk >= 0 ? 'unk' : 'throw');
  if (resolved === 'throw') return undefined;
  if (resolved !== 'unk')
    throw new ConfigError('onUnknown', `expected 'unk' or 'throw', got ${JSON.stringify(policy)}`);
  if (unk < 0) throw new ConfigError('onUnknown', `'unk' needs "${UNK_TOKEN}" among the special tokens`);
  return unk;
}

/** The error for an out-of-vocabulary unit; `index` is the UTF-16 index into the text given to encode. */
export function unknownTokenError(kind: 'character' | 'word', unit: string, index: number): TokenizerError {
  const codePoints = [...unit].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
  const shown = kind === 'character' ? `${JSON.stringify(unit)} (${codePoints.join(' ')})` : JSON.stringify(unit);
  return new TokenizerError('unknown-token', `unknown ${kind} ${shown} at index ${index} (not in the vocabulary)`);
}
