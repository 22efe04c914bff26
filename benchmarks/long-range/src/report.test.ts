import { describe, expect, it } from 'vitest';
import { curvesSvg, smooth, withTitle } from './report.js';

describe('learning-curve plot', () => {
  it('draws one series per cell plus the baseline, with a title', () => {
    const run = {
      cell: 'lstm',
      params: 10,
      steps: 3,
      curve: [
        [1, 1],
        [2, 0.5],
        [3, 0.25],
      ],
    } as never;
    const svg = curvesSvg('adding T=20 <x>', [run], 0.167, 'answer 1');
    expect(svg).toContain('<title>adding T=20 &lt;x&gt;</title>');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(withTitle(svg, 'again')).toBe(svg);
    expect(
      smooth(
        [
          [1, 1],
          [2, 0],
        ],
        0.5,
      ),
    ).toEqual([
      [1, 1],
      [2, 0.5],
    ]);
  });
});
