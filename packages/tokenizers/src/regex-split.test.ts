import { describe, expect, it } from 'vitest';
import { compileSplitPattern, regexSplit } from './regex-split.js';

describe('regexSplit', () => {
  const pieces = (text: string, pattern: string) => {
    const out: [string, number, boolean][] = [];
    regexSplit(text, compileSplitPattern(pattern, 'p'), (p, i, m) => out.push([p, i, m]));
    return out;
  };

  it('reports matches and the gaps between them, so the pieces rebuild the text', () => {
    expect(pieces('ab  cd!', '\\p{L}+')).toEqual([
      ['ab', 0, true],
      ['  ', 2, false],
      ['cd', 4, true],
      ['!', 6, false],
    ]);
  });

  it('skips empty matches instead of looping', () => {
    expect(pieces('a1', '\\d*')).toEqual([
      ['a', 0, false],
      ['1', 1, true],
    ]);
  });
});
