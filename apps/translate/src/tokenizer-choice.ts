import { ByteBpeTokenizer, DEFAULT_SPECIAL_TOKENS } from '@seqgen/tokenizers';

/**
 * The slots `@seqgen/text`'s `protectPlaceholders` writes for printf
 * placeholders (`⟦0⟧`…): special tokens, so each is one token the model copies.
 */
export const PLACEHOLDER_TOKENS: readonly string[] = Array.from({ length: 10 }, (_, i) => `⟦${i}⟧`);

/**
 * One byte-level BPE for both languages (a joint vocabulary). UI messages
 * carry much that is not translated — program names, options, paths, URLs,
 * placeholders — and with one vocabulary such a piece is the same token on
 * both sides, so the model learns to copy it; per-language models would spell
 * it with different pieces. The price (fewer merges per language at the same
 * size) is small next to the 5 MB a shipped checkpoint may take.
 */
export function trainJointTokenizer(
  pairs: readonly { source: string; target: string }[],
  vocabSize: number,
  extraSpecialTokens: readonly string[] = PLACEHOLDER_TOKENS,
): ByteBpeTokenizer {
  const corpus = pairs.map((p) => `${p.source}\n${p.target}`).join('\n');
  return ByteBpeTokenizer.train(corpus, {
    vocabSize,
    specialTokens: [...DEFAULT_SPECIAL_TOKENS, ...extraSpecialTokens],
  });
}
