import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
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
});

describe('eval without --checkpoint: the shipped model on its own held-out split', () => {
  // One evaluation (about 4 s of model time, plus the n-gram baseline), shared by the checks below.
  let report: {
    checkpoint: string;
    examples: number;
    metrics: { nats_per_token: number; bits_per_char: number; perplexity: number };
    baselines: { kneser_ney_5gram_char: { nats_per_token: number; bits_per_char: number } };
  };
  beforeAll(() => {
    const r = runCli(['eval', '--json']);
    expect(r.status, r.stderr).toBe(0);
    report = JSON.parse(r.stdout);
  }, 120_000);

  it('evaluates the shipped checkpoint on the 118,560 held-out characters', () => {
    expect(report.checkpoint).toBe(pretrained);
    expect(report.examples).toBe(118560);
    // Character tokens: bits per character are bits per token, up to the characters a token covers (measured: 2e-5).
    expect(report.metrics.bits_per_char).toBeCloseTo(report.metrics.nats_per_token / Math.LN2, 3);
    expect(report.metrics.perplexity).toBeCloseTo(Math.exp(report.metrics.nats_per_token), 6);
  });

  it('matches the held-out figures recorded in the checkpoint metadata', () => {
    const meta = readJson(join(pretrained, 'checkpoint.json')).metadata as {
      heldOut: { loss: number; bitsPerChar: number; perplexity: number; tokens: number };
    };
    expect(meta.heldOut.tokens).toBe(report.examples);
    // Training measured these on the same split; only float summation order differs (measured: 3e-7).
    expect(Math.abs(meta.heldOut.loss - report.metrics.nats_per_token)).toBeLessThan(1e-4);
    expect(Math.abs(meta.heldOut.bitsPerChar - report.metrics.bits_per_char)).toBeLessThan(1e-4);
    expect(Math.abs(meta.heldOut.perplexity - report.metrics.perplexity)).toBeLessThan(1e-3);
  });

  it('reproduces the README figures, beside the n-gram baseline', () => {
    const readme = readFileSync(join(appRoot, 'README.md'), 'utf8');
    // The `eval` example output: 4 decimals for nats and bits.
    const evalLine = readme.match(
      /held-out loss ([\d.]+) nats\/token \| perplexity ([\d.]+) \| ([\d.]+) bits\/char \| (\d+) tokens/,
    );
    expect(evalLine, 'README eval example').not.toBeNull();
    const [, nats, ppl, bits, tokens] = (evalLine as RegExpMatchArray).map(Number);
    expect(Math.abs((nats as number) - report.metrics.nats_per_token)).toBeLessThan(5.1e-5);
    expect(Math.abs((bits as number) - report.metrics.bits_per_char)).toBeLessThan(5.1e-5);
    expect(Math.abs((ppl as number) - report.metrics.perplexity)).toBeLessThan(5.1e-4);
    expect(tokens).toBe(report.examples);
    // The results table's row for the committed checkpoint: 4 decimals for nats, 3 for bits.
    const row = readme.match(/the committed `pretrained\/moby-char-lstm` \|[^|]*\|[^|]*\| ([\d.]+) \| ([\d.]+) \|/);
    expect(row, 'README results row').not.toBeNull();
    expect(Math.abs(Number(row?.[1]) - report.metrics.nats_per_token)).toBeLessThan(5.1e-5);
    expect(Math.abs(Number(row?.[2]) - report.metrics.bits_per_char)).toBeLessThan(5.1e-4);
    // The baseline line under it.
    const baseline = readme.match(
      /baseline kneser_ney_5gram_char: ([\d.]+) nats\/char \| perplexity [\d.]+ \| ([\d.]+) bits\/char/,
    );
    expect(baseline, 'README baseline line').not.toBeNull();
    const kn = report.baselines.kneser_ney_5gram_char;
    expect(Math.abs(Number(baseline?.[1]) - kn.nats_per_token)).toBeLessThan(5.1e-5);
    expect(Math.abs(Number(baseline?.[2]) - kn.bits_per_char)).toBeLessThan(5.1e-5);
    // And the figures themselves: the shipped model is below 1.40 nats/char and below the 5-gram (as the README says).
    expect(report.metrics.nats_per_token).toBeLessThan(1.4);
    expect(report.metrics.nats_per_token).toBeLessThan(kn.nats_per_token);
  });
});
