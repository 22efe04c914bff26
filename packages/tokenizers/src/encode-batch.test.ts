import { ConfigError, TokenizerError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';

describe('encodeBatch', () => {
  const tok = CharTokenizer.fromText('abc'); // a=4, b=5, c=6, <pad>=0

  it('returns ragged rows with all-ones masks without padding', () => {
    expect(tok.encodeBatch(['ab', 'c'])).toEqual({ ids: [[4, 5], [6]], attentionMask: [[1, 1], [1]] });
  });

  it('pads to the longest row with <pad> and masks the padding', () => {
    expect(tok.encodeBatch(['abc', 'a', ''], { padding: 'longest' })).toEqual({
      ids: [
        [4, 5, 6],
        [4, 0, 0],
        [0, 0, 0],
      ],
      attentionMask: [
        [1, 1, 1],
        [1, 0, 0],
        [0, 0, 0],
      ],
    });
  });

  it('pads to a fixed length with a custom pad id, truncating first', () => {
    expect(tok.encodeBatch(['abcabc', 'b'], { padding: 4, truncation: 4, padId: 3 })).toEqual({
      ids: [
        [4, 5, 6, 4],
        [5, 3, 3, 3],
      ],
      attentionMask: [
        [1, 1, 1, 1],
        [1, 0, 0, 0],
      ],
    });
    expect(tok.encodeBatch(['abc'], { truncation: 2 }).ids).toEqual([[4, 5]]);
  });

  it('refuses rows longer than the padding length, bad lengths, and missing pad ids', () => {
    expect(() => tok.encodeBatch(['a', 'abc'], { padding: 2 })).toThrow(
      new TokenizerError(
        'invalid-input',
        'texts[1] encodes to 3 tokens, more than padding 2; set truncation to cut it',
      ),
    );
    expect(() => tok.encodeBatch(['a'], { truncation: -1 })).toThrow(ConfigError);
    const noPad = CharTokenizer.fromText('a', { specialTokens: ['<unk>'] });
    expect(() => noPad.encodeBatch(['a'], { padding: 'longest' })).toThrow(/padId: padding needs a padId/);
    expect(() => tok.encodeBatch('abc' as never)).toThrow(TokenizerError);
  });
});
