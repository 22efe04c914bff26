import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { JsonlLog, readJsonl } from './jsonl-log.js';
import { renderLossSvg } from './loss-plot.js';
import { globToRegExp, matchesAny } from './patterns.js';
import { TrainingProgressBar } from './progress-bar.js';

describe('JSONL log', () => {
  it('appends records, skips a torn last line, and truncates redone steps on resume', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'seqgen-log-')), 'run', 'log.jsonl');
    const log = new JsonlLog(path);
    for (let step = 1; step <= 5; step++) log.append({ kind: 'step', step, loss: 3 - step / 10 });
    appendFileSync(path, '{"kind":"step","st'); // a kill mid-write
    expect(readJsonl(path).map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    log.truncateAfter(3);
    expect(readJsonl(path).map((r) => r.step)).toEqual([1, 2, 3]);
    expect(readJsonl(path)[2]).toEqual({ kind: 'step', step: 3, loss: 2.7 });
  });
});

describe('loss plot', () => {
  it('draws each series as a polyline scaled into the frame, skipping non-finite points', () => {
    const svg = renderLossSvg(
      [
        {
          label: 'train',
          points: [
            [1, 4],
            [2, Number.NaN],
            [3, 2],
            [4, 1],
          ],
          color: '#00f',
        },
        { label: 'validation <b>', points: [[4, 1.5]], color: '#f00' },
      ],
      'char-rnn',
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    const points = /data-series="train"[^>]*points="([^"]+)"/.exec(svg)?.[1]?.split(' ') ?? [];
    expect(points).toHaveLength(3);
    const [x0, y0] = (points[0] as string).split(',').map(Number);
    const [x2, y2] = (points[2] as string).split(',').map(Number);
    expect(x0).toBe(56); // left edge of the plot area
    expect(x2).toBe(624); // right edge
    expect(y0).toBe(28); // highest loss at the top
    expect(y2).toBe(320); // lowest at the bottom
    expect(svg).toContain('validation &lt;b&gt;');
    expect(svg).toContain('<title>char-rnn</title>');
  });
});

describe('progress bar', () => {
  it('shows steps, ETA and live metrics', () => {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (d) => {
      out += d;
    });
    const bar = new TrainingProgressBar({ stream, forceOutput: true });
    bar.start(100, 0);
    bar.update({
      step: 40,
      loss: 1.23456,
      perplexity: 3.4,
      bitsPerToken: 1.781,
      tokens: 100,
      tokensPerSecond: 5321.4,
      gradNorm: 0.5,
      learningRate: 0.002,
      teacherForcingRatio: 1,
    });
    bar.stop();
    expect(out).toContain('40/100 steps');
    expect(out).toContain('loss 1.2346');
    expect(out).toContain('lr 2.00e-3');
    expect(out).toContain('5321 tok/s');
    expect(out).toMatch(/ETA \S+/);
  });
});

describe('name patterns', () => {
  it('globs match within and across path segments', () => {
    expect(globToRegExp('encoder/*').test('encoder/kernel')).toBe(true);
    expect(globToRegExp('encoder/*').test('encoder/gru/kernel')).toBe(false);
    expect(globToRegExp('encoder/**').test('encoder/gru/kernel')).toBe(true);
    expect(globToRegExp('*.bias').test('x.bias')).toBe(true);
    expect(globToRegExp('*.bias').test('xxbias')).toBe(false);
    expect(matchesAny('output/bias', ['rnn/*', /bias$/])).toBe(true);
  });
});
