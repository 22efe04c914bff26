import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot, readJson, runCli } from './run-cli.js';

const pretrained = join(appRoot, 'pretrained', 'moby-char-lstm');

describe('the committed pretrained checkpoint', () => {
  it('generates English-like text from Moby-Dick at once', () => {
    const r = runCli([
      'generate',
      '--checkpoint',
      pretrained,
      '--prime',
      'Call me Ishmael. ',
      '--length',
      '200',
      '--seed',
      '1',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const text = r.stdout.slice('Call me Ishmael. '.length);
    expect(text.length).toBeGreaterThan(150);
    // A trained model writes words: most characters are letters or spaces, and common words appear.
    const letters = text.replace(/[^A-Za-z ]/g, '').length;
    expect(letters / text.length).toBeGreaterThan(0.85);
    expect(text).toMatch(/\b(the|and|of|a|to|in|that|his)\b/);
  });

  it('records how it was trained and its held-out figures', () => {
    const meta = readJson(join(pretrained, 'checkpoint.json')).metadata as { heldOut: { bitsPerChar: number } };
    expect(meta.heldOut.bitsPerChar).toBeLessThan(3);
  });
});

describe('eval without --checkpoint: the shipped model on its own held-out split', () => {
  it('reproduces the README figure, beside the n-gram baseline', () => {
    const r = runCli(['eval', '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.checkpoint).toBe(pretrained);
    expect(report.examples).toBe(118560);
    expect(report.metrics.nats_per_token).toBeCloseTo(1.6521, 4);
    expect(report.metrics.bits_per_char).toBeCloseTo(2.3835, 4);
    expect(report.baselines.kneser_ney_5gram_char.nats_per_token).toBeCloseTo(1.5223, 4);
  });
});
