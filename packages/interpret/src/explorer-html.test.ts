import { ShapeError } from '@seqgen/core';
import { thrown } from '@seqgen/test-utils';
import { describe, expect, it } from 'vitest';
import { explorerHtml, explorerUnitsFromTrace } from './explorer-html.js';
import type { SequenceTrace } from './sequence-trace.js';

const trace: SequenceTrace = {
  tokens: [0, 1, 2],
  steps: 3,
  layers: [{ cell: 'rnn', quantities: { h: { size: 2, values: Float32Array.from([1, 2, 3, 4, 5, 6]) } } }],
  nextTokenLogProbs: new Float32Array(2),
};

describe('explorerHtml', () => {
  it('names each traced unit and inlines the data so that no text can close the script', () => {
    const units = explorerUnitsFromTrace(trace, ['h', 'c']);
    expect(units.map((u) => u.name)).toEqual(['L0 h 0', 'L0 h 1']);
    expect(Array.from(units[1]?.values ?? [])).toEqual([2, 4, 6]);
    const html = explorerHtml({ title: 'a <b>', tokens: ['<', '/', 'script>'], units });
    expect(html).toContain('<title>a &#60;b&#62;</title>');
    expect(html).not.toContain('</script>"');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script[^>]+src=|<link /);
  });

  it('refuses an empty text and units, attention or saliency of the wrong length', () => {
    expect(thrown(() => explorerHtml({ tokens: [], units: [] }), ShapeError).message).toContain(
      'tokens must be at least one token',
    );
    expect(
      thrown(() => explorerHtml({ tokens: ['a', 'b'], units: [{ name: 'u', values: [1] }] }), ShapeError).argument,
    ).toBe('units[0].values');
    const attention = [{ title: 't', sourceTokens: ['a'], targetTokens: ['x', 'y'], weights: [1] }];
    expect(thrown(() => explorerHtml({ tokens: ['a'], units: [], attention }), ShapeError).argument).toBe(
      'attention[0].weights',
    );
    const saliency = [{ title: 's', tokens: ['a'], values: [1, 2] }];
    expect(thrown(() => explorerHtml({ tokens: ['a'], units: [], saliency }), ShapeError).argument).toBe(
      'saliency[0].values',
    );
  });
});
